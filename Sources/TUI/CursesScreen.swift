import CNcurses
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The terminal through ncursesw: full-screen, raw keys, colours from the theme (degraded to what the
/// terminal has, none with NO_COLOR), mouse where supported. The terminal is restored by `close`, at
/// exit, and on crash signals.
package final class CursesScreen: Screen {
    private var theme: Theme
    package let colours: Bool
    private var pairs: [CellStyleKey: Int32] = [:]
    private var closed = false

    private struct CellStyleKey: Hashable {
        let foreground: ThemeRole
        let background: ThemeRole
    }

    package init(theme: Theme, useColours: Bool) {
        self.theme = theme
        setlocale(LC_ALL, "")
        TerminalRestore.saveTerminalState()
        initscr()
        raw()
        noecho()
        nonl()
        keypad(qwery_standard_screen(), true)
        set_escdelay(25)
        timeout(30)
        if useColours && has_colors() {
            start_color()
            use_default_colors()
            colours = true
        } else {
            colours = false
        }
        mousemask(qwery_mouse_all(), nil)
        mouseinterval(0)
        TerminalRestore.installSignalHandlers()
    }

    package var size: (rows: Int, columns: Int) {
        (Int(qwery_getmaxy(qwery_standard_screen())), Int(qwery_getmaxx(qwery_standard_screen())))
    }

    package func draw(_ frame: Frame) {
        for row in 0..<frame.rows {
            var column = 0
            while column < frame.columns {
                let style = frame[row, column].style
                var text = ""
                var end = column
                while end < frame.columns && frame[row, end].style == style {
                    text += frame[row, end].text
                    end += 1
                }
                apply(style)
                var wide = text.unicodeScalars.map { wchar_t(bitPattern: $0.value) } + [0]
                // The last cell of the screen is written last: writing it with addwstr would scroll.
                let count = row == frame.rows - 1 && end == frame.columns ? Int32(max(0, wide.count - 2)) : Int32(wide.count - 1)
                wide.withUnsafeMutableBufferPointer { buffer in
                    _ = mvaddnwstr(Int32(row), Int32(column), buffer.baseAddress, count)
                }
                column = end
            }
        }
        if let cursor = frame.cursor {
            curs_set(1)
            move(Int32(cursor.row), Int32(cursor.column))
        } else {
            curs_set(0)
        }
        refresh()
    }

    private func apply(_ style: CellStyle) {
        var attributes: attr_t = 0
        if style.bold { attributes |= qwery_attribute_bold() }
        if style.underline { attributes |= qwery_attribute_underline() }
        if style.reverse && !colours { attributes |= qwery_attribute_reverse() }
        _ = qwery_set_attributes(attributes, Int32(colours ? pair(style) : 0))
    }

    private func pair(_ style: CellStyle) -> Int32 {
        let key = CellStyleKey(foreground: style.foreground, background: style.background)
        if let existing = pairs[key] { return existing }
        let available = Int(qwery_colors())
        let number = Int32(pairs.count + 1)
        guard number < qwery_color_pairs() else { return 0 }
        let foreground = theme.colour(style.foreground).terminalIndex(available: available)
        let background = theme.colour(style.background).terminalIndex(available: available)
        init_pair(Int16(number), Int16(foreground), Int16(background))
        pairs[key] = number
        return number
    }

    /// Draws with `theme` from the next frame on: colour pairs are made again from its colours.
    package func apply(theme: Theme) {
        self.theme = theme
        pairs.removeAll()
    }

    /// The next key, or nil after about 30 ms without one.
    package func readKey() -> KeyInput? {
        var character: wint_t = 0
        let result = get_wch(&character)
        if result == ERR { return nil }
        if result == KEY_CODE_YES {
            if Int32(character) == KEY_MOUSE { return readMouse() }
            return .function(Int32(character))
        }
        return .character(UInt32(character))
    }

    private func readMouse() -> KeyInput? {
        var event = MEVENT()
        guard getmouse(&event) == OK else { return nil }
        if event.bstate & qwery_mouse_wheel_up() != 0 { return .wheel(-3, row: Int(event.y), column: Int(event.x)) }
        if qwery_mouse_wheel_down() != 0 && event.bstate & qwery_mouse_wheel_down() != 0 {
            return .wheel(3, row: Int(event.y), column: Int(event.x))
        }
        if event.bstate & qwery_mouse_click() != 0 {
            return .click(row: Int(event.y), column: Int(event.x), double: event.bstate & qwery_mouse_double_click() != 0)
        }
        return nil
    }

    /// Leaves curses mode for another program (the editor), then comes back.
    package func suspend(_ body: () -> Void) {
        def_prog_mode()
        endwin()
        body()
        reset_prog_mode()
        refresh()
    }

    package func close() {
        guard !closed else { return }
        closed = true
        endwin()
    }
}

/// What the keyboard or mouse sent.
package enum KeyInput: Sendable, Equatable {
    case character(UInt32)
    case function(Int32)
    case wheel(Int, row: Int, column: Int)
    case click(row: Int, column: Int, double: Bool)
}
