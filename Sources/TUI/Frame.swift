import QweryCore
/// How one cell is drawn: colours by theme role, plus attributes.
package struct CellStyle: Hashable, Sendable {
    package var foreground: ThemeRole
    package var background: ThemeRole
    package var bold = false
    package var underline = false
    /// Used for the selection when colours are off (NO_COLOR, monochrome terminals).
    package var reverse = false

    package init(foreground: ThemeRole = .foreground, background: ThemeRole = .background,
                bold: Bool = false, underline: Bool = false, reverse: Bool = false) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.underline = underline
        self.reverse = reverse
    }

    package static let plain = CellStyle()
}

/// A whole screen of cells, drawn by the views and handed to a `Screen` at once.
/// A wide character fills its cell and marks the next one as its continuation.
package struct Frame: Sendable {
    package struct Cell: Sendable, Equatable {
        /// One grapheme, "" for the second half of a wide character.
        package var text: String
        package var style: CellStyle
    }

    package let rows: Int
    package let columns: Int
    package private(set) var cells: [Cell]
    /// Where the terminal cursor goes (the query line's insertion point), if visible.
    package var cursor: (row: Int, column: Int)?

    package init(rows: Int, columns: Int, style: CellStyle = .plain) {
        self.rows = max(rows, 0)
        self.columns = max(columns, 0)
        cells = Array(repeating: Cell(text: " ", style: style), count: self.rows * self.columns)
    }

    /// Fills a row segment with spaces in `style`.
    package mutating func fill(row: Int, from column: Int = 0, width: Int? = nil, style: CellStyle) {
        guard row >= 0 && row < rows else { return }
        let end = min(columns, column + (width ?? columns))
        for index in max(0, column)..<max(max(0, column), end) {
            cells[row * columns + index] = Cell(text: " ", style: style)
        }
    }

    /// Writes `text` at (row, column), clipped to `width` columns; returns the columns used.
    @discardableResult
    package mutating func put(_ text: String, row: Int, column: Int, width: Int? = nil, style: CellStyle) -> Int {
        guard row >= 0 && row < rows && column < columns else { return 0 }
        let limit = min(columns, column + (width ?? columns))
        var position = max(column, 0)
        // A line's own terminator is not drawn; any other control character from a file becomes visible
        // text (`^[`, `^J` in a file name), never a terminal command.
        var line = Substring(text)
        while let last = line.last, last == "\n" || last == "\r" || last == "\r\n" { line = line.dropLast() }
        for character in line.flatMap({ TerminalText.visible($0) }) {
            let printable = character
            let characterWidth = TextWidth.of(printable)
            if characterWidth == 0 {
                // A combining mark joins the previous cell's grapheme.
                if position > column { cells[row * columns + position - 1].text.append(printable) }
                continue
            }
            if position + characterWidth > limit { break }
            cells[row * columns + position] = Cell(text: String(printable), style: style)
            if characterWidth == 2 { cells[row * columns + position + 1] = Cell(text: "", style: style) }
            position += characterWidth
        }
        return position - max(column, 0)
    }

    /// The text of a row (for tests and screenshots), trailing spaces removed.
    package func line(_ row: Int) -> String {
        guard row >= 0 && row < rows else { return "" }
        var text = ""
        for column in 0..<columns { text += cells[row * columns + column].text }
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }

    package subscript(row: Int, column: Int) -> Cell {
        cells[row * columns + column]
    }
}
