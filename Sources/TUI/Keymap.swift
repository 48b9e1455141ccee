import CNcurses

/// Turns keys and mouse events into actions. `alt` is set for a key that followed Esc at once.
public enum Keymap {
    public static func actions(for key: KeyInput, alt: Bool = false, state: AppState) -> [Action] {
        switch key {
        case .character(let value):
            return alt ? altActions(value) : characterActions(value, state: state)
        case .function(let code):
            return functionActions(code)
        case .wheel(let delta, let row, let column):
            let layout = Layout(rows: state.rows, columns: state.columns)
            return contains(layout.preview, row: row, column: column) ? [.scrollPreview(delta)] : [.scroll(delta)]
        case .click(let row, let column, let double):
            let layout = Layout(rows: state.rows, columns: state.columns)
            guard contains(layout.list, row: row, column: column) else { return [] }
            return [.selectRow(row - layout.list.row)] + (double ? [.open] : [])
        }
    }

    private static func characterActions(_ value: UInt32, state: AppState) -> [Action] {
        switch value {
        case 1: return [.cursorHome]
        case 2: return [.cursorLeft]
        case 3: return [.quit]
        case 4: return [.deleteForward]
        case 5: return [.cursorEnd]
        case 6: return [.cursorRight]
        case 8, 127: return [.deleteBackward]
        case 9: return [.toggleFocus]
        case 10, 13: return [.open]
        case 11: return [.killToEnd]
        case 14: return [.moveSelection(1)]
        case 16: return [.moveSelection(-1)]
        case 21: return [.killToStart]
        case 23: return [.killWordBackward]
        case 27: return [.escape]
        case 63 where state.query.text.isEmpty && state.overlay == nil: return [.toggleHelp]
        case 0..<32: return []
        default:
            guard let scalar = Unicode.Scalar(value) else { return [] }
            return [.insert(String(Character(scalar)))]
        }
    }

    private static func altActions(_ value: UInt32) -> [Action] {
        switch Unicode.Scalar(value).map(Character.init) {
        case "b": return [.wordLeft]
        case "f": return [.wordRight]
        case "d": return [.cycleDimensions]
        case "i": return [.editInstruction]
        case "r": return [.toggleRerank]
        case "p": return [.cyclePreset]
        case "s": return [.similarToSelection]
        default: return []
        }
    }

    private static func functionActions(_ code: Int32) -> [Action] {
        switch code {
        case KEY_UP: return [.moveSelection(-1)]
        case KEY_DOWN: return [.moveSelection(1)]
        case KEY_PPAGE: return [.pageUp]
        case KEY_NPAGE: return [.pageDown]
        case KEY_LEFT: return [.cursorLeft]
        case KEY_RIGHT: return [.cursorRight]
        case KEY_HOME: return [.cursorHome]
        case KEY_END: return [.cursorEnd]
        case KEY_BACKSPACE: return [.deleteBackward]
        case KEY_DC: return [.deleteForward]
        case KEY_ENTER: return [.open]
        case KEY_BTAB: return [.toggleFocus]
        case qwery_key_f(1): return [.toggleHelp]
        case qwery_key_f(2): return [.editInstruction]
        case qwery_key_f(3): return [.cycleDimensions]
        case qwery_key_f(4): return [.toggleRerank]
        case qwery_key_f(5): return [.cyclePreset]
        case qwery_key_f(6): return [.similarToSelection]
        default: return []
        }
    }

    private static func contains(_ region: Layout.Region, row: Int, column: Int) -> Bool {
        row >= region.row && row < region.row + region.height && column >= region.column && column < region.column + region.width
    }
}
