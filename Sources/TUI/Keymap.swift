import CNcurses

/// Turns keys and mouse events into actions. `alt` is set for a key that followed Esc at once. One table
/// (`bindings`) serves both the dispatch and the help overlay, so the help cannot drift from the keys.
package enum Keymap {
    /// A key the table can name.
    enum Key: Hashable {
        /// A raw character (control characters included): Ctrl-A is 1, Tab 9, Enter 13.
        case character(UInt32)
        case alt(Character)
        case function(Int32)
    }

    /// One key, what it does, how the help names it and which line of the help it belongs to.
    struct Binding {
        let key: Key
        let name: String
        let action: Action
        let help: String
    }

    private static func control(_ letter: Character) -> Key { .character(UInt32(letter.asciiValue ?? 64) - 64) }

    static let moveInQuery = "move in the query line"
    static let bindings: [Binding] = [
        Binding(key: .function(KEY_LEFT), name: "←", action: .cursorLeft, help: moveInQuery),
        Binding(key: .function(KEY_RIGHT), name: "→", action: .cursorRight, help: moveInQuery),
        Binding(key: .function(KEY_HOME), name: "Home", action: .cursorHome, help: moveInQuery),
        Binding(key: .function(KEY_END), name: "End", action: .cursorEnd, help: moveInQuery),
        Binding(key: control("A"), name: "Ctrl-A", action: .cursorHome, help: moveInQuery),
        Binding(key: control("E"), name: "Ctrl-E", action: .cursorEnd, help: moveInQuery),
        Binding(key: control("B"), name: "Ctrl-B", action: .cursorLeft, help: moveInQuery),
        Binding(key: control("F"), name: "Ctrl-F", action: .cursorRight, help: moveInQuery),
        Binding(key: .alt("b"), name: "Alt-b", action: .wordLeft, help: "move a word left / right"),
        Binding(key: .alt("f"), name: "Alt-f", action: .wordRight, help: "move a word left / right"),
        Binding(key: .character(127), name: "Backspace", action: .deleteBackward, help: "delete a character"),
        Binding(key: .character(8), name: "Ctrl-H", action: .deleteBackward, help: "delete a character"),
        Binding(key: .function(KEY_BACKSPACE), name: "", action: .deleteBackward, help: "delete a character"),
        Binding(key: .function(KEY_DC), name: "Delete", action: .deleteForward, help: "delete a character"),
        Binding(key: control("D"), name: "Ctrl-D", action: .deleteForward, help: "delete a character"),
        Binding(key: control("U"), name: "Ctrl-U", action: .killToStart, help: "delete to start / to end / the word before"),
        Binding(key: control("K"), name: "Ctrl-K", action: .killToEnd, help: "delete to start / to end / the word before"),
        Binding(key: control("W"), name: "Ctrl-W", action: .killWordBackward, help: "delete to start / to end / the word before"),
        Binding(key: .function(KEY_UP), name: "↑", action: .moveSelection(-1), help: "move through results (or scroll the preview)"),
        Binding(key: .function(KEY_DOWN), name: "↓", action: .moveSelection(1), help: "move through results (or scroll the preview)"),
        Binding(key: control("P"), name: "Ctrl-P", action: .moveSelection(-1), help: "move through results (or scroll the preview)"),
        Binding(key: control("N"), name: "Ctrl-N", action: .moveSelection(1), help: "move through results (or scroll the preview)"),
        Binding(key: .function(KEY_PPAGE), name: "PgUp", action: .pageUp, help: "a page of results up / down"),
        Binding(key: .function(KEY_NPAGE), name: "PgDn", action: .pageDown, help: "a page of results up / down"),
        Binding(key: .character(13), name: "Enter", action: .open, help: "open the result in $VISUAL / $EDITOR at its line"),
        Binding(key: .character(10), name: "", action: .open, help: "open the result in $VISUAL / $EDITOR at its line"),
        Binding(key: .function(KEY_ENTER), name: "", action: .open, help: "open the result in $VISUAL / $EDITOR at its line"),
        Binding(key: .character(9), name: "Tab", action: .toggleFocus, help: "switch focus between results and preview"),
        Binding(key: .function(KEY_BTAB), name: "Shift-Tab", action: .toggleFocus, help: "switch focus between results and preview"),
        Binding(key: .function(qwery_key_f(2)), name: "F2", action: .editInstruction, help: "instruction editor: presets or your own instruction"),
        Binding(key: .alt("i"), name: "Alt-i", action: .editInstruction, help: "instruction editor: presets or your own instruction"),
        Binding(key: .function(qwery_key_f(3)), name: "F3", action: .cycleDimensions, help: "cycle embedding dimensions (MRL, no re-indexing)"),
        Binding(key: .alt("d"), name: "Alt-d", action: .cycleDimensions, help: "cycle embedding dimensions (MRL, no re-indexing)"),
        Binding(key: .function(qwery_key_f(4)), name: "F4", action: .toggleRerank, help: "reranker on/off"),
        Binding(key: .alt("r"), name: "Alt-r", action: .toggleRerank, help: "reranker on/off"),
        Binding(key: .function(qwery_key_f(5)), name: "F5", action: .cyclePreset, help: "next instruction preset"),
        Binding(key: .alt("p"), name: "Alt-p", action: .cyclePreset, help: "next instruction preset"),
        Binding(key: .function(qwery_key_f(6)), name: "F6", action: .similarToSelection, help: "more like the selected result (query becomes similar:PATH:LINE)"),
        Binding(key: .alt("s"), name: "Alt-s", action: .similarToSelection, help: "more like the selected result (query becomes similar:PATH:LINE)"),
        Binding(key: .function(qwery_key_f(7)), name: "F7", action: .cycleTheme, help: "next colour theme (themes/ and ~/.config/qwery/themes)"),
        Binding(key: .alt("t"), name: "Alt-t", action: .cycleTheme, help: "next colour theme (themes/ and ~/.config/qwery/themes)"),
        Binding(key: .function(qwery_key_f(1)), name: "F1", action: .toggleHelp, help: "this help (? too, while the query is empty)"),
        Binding(key: .character(27), name: "Esc", action: .escape, help: "close a window, or quit"),
        Binding(key: .character(3), name: "Ctrl-C", action: .quit, help: "close a window, or quit"),
    ]

    /// Inputs outside the table, for the help.
    static let otherInputs: [(keys: String, help: String)] = [
        // At most 66 characters each: the help box's text column.
        ("type", "search: lexical hits at once, semantic ones when it is embedded"),
        ("filters", "path: dir: ext: lang: sym: -word \"a b\" modified:<7d; alone: a list"),
        ("mouse", "wheel scrolls, click selects, double click opens"),
    ]

    /// The help overlay's lines: each help text once, with the names of every key that does it, in table order.
    static var helpLines: [(keys: String, help: String)] {
        var lines: [(keys: String, help: String)] = []
        for binding in bindings where !binding.name.isEmpty {
            if let index = lines.firstIndex(where: { $0.help == binding.help }) {
                lines[index].keys += " " + binding.name
            } else {
                lines.append((binding.name, binding.help))
            }
        }
        return Array(otherInputs.prefix(2)) + lines + otherInputs.dropFirst(2)
    }

    private static let table: [Key: Action] = Dictionary(bindings.map { ($0.key, $0.action) }, uniquingKeysWith: { first, _ in first })

    package static func actions(for key: KeyInput, alt: Bool = false, state: AppState) -> [Action] {
        switch key {
        case .character(let value):
            if alt { return Unicode.Scalar(value).map { table[.alt(Character($0))].map { [$0] } ?? [] } ?? [] }
            if let action = table[.character(value)] { return [action] }
            return characterActions(value, state: state)
        case .function(let code):
            return table[.function(code)].map { [$0] } ?? []
        case .wheel(let delta, let row, let column):
            let layout = Layout(rows: state.rows, columns: state.columns)
            return contains(layout.preview, row: row, column: column) ? [.scrollPreview(delta)] : [.scroll(delta)]
        case .click(let row, let column, let double):
            let layout = Layout(rows: state.rows, columns: state.columns)
            guard contains(layout.list, row: row, column: column) else { return [] }
            return [.selectRow(row - layout.list.row)] + (double ? [.open] : [])
        }
    }

    /// Characters outside the table: ? opens the help while the query is empty, other control characters
    /// do nothing, everything else is typed.
    private static func characterActions(_ value: UInt32, state: AppState) -> [Action] {
        switch value {
        case 63 where state.query.text.isEmpty && state.overlay == nil: return [.toggleHelp]
        case 0..<32: return []
        default:
            guard let scalar = Unicode.Scalar(value) else { return [] }
            return [.insert(String(Character(scalar)))]
        }
    }

    private static func contains(_ region: Layout.Region, row: Int, column: Int) -> Bool {
        row >= region.row && row < region.row + region.height && column >= region.column && column < region.column + region.width
    }
}
