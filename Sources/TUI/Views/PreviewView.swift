import Search

/// The selected chunk in its file: path and line range, numbered lines, the chunk marked in the
/// gutter and query terms highlighted. Scrolls with ↑/↓ when focused (Tab).
struct PreviewView {
    let colours: Bool

    func draw(_ state: AppState, in region: Layout.Region, into frame: inout Frame) {
        guard region.height > 0, let result = state.selectedResult else { return }
        let header = "\(state.displayPath(result.path))  lines \(result.startLine)–\(result.endLine)"
            + (result.context.isEmpty ? "" : "  · \(result.context)")
        frame.put(header, row: region.row, column: region.column + 1, width: region.width - 1,
                  style: CellStyle(foreground: .path, bold: state.focus == .preview))
        let lines = state.previewPath == result.path ? state.previewLines : result.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let firstLineNumber = state.previewPath == result.path ? 1 : result.startLine
        let chunkStart = result.startLine - firstLineNumber
        let top = max(0, min(max(0, chunkStart - 2) + state.previewScroll, max(0, lines.count - 1)))
        let gutterWidth = String(firstLineNumber + lines.count).count
        let terms = SearchResult.highlightTerms(state.query.text)
        for offset in 0..<(region.height - 1) {
            let index = top + offset
            guard index < lines.count else { break }
            let row = region.row + 1 + offset
            let number = firstLineNumber + index
            let inChunk = number >= result.startLine && number <= result.endLine
            var column = region.column
            column += frame.put(inChunk ? "▎" : " ", row: row, column: column, style: CellStyle(foreground: .accent))
            let label = String(number).leftPadded(to: gutterWidth) + " "
            column += frame.put(label, row: row, column: column, style: CellStyle(foreground: .lineNumber))
            drawHighlighted(lines[index], terms: terms, row: row, column: column,
                            width: region.column + region.width - column, dim: !inChunk, into: &frame)
        }
    }

    /// A line with every occurrence of the query terms in the match colour.
    private func drawHighlighted(_ line: String, terms: [String], row: Int, column: Int, width: Int, dim: Bool, into frame: inout Frame) {
        let plain = CellStyle(foreground: dim ? .dim : .foreground)
        let match = CellStyle(foreground: .match, bold: true, underline: !colours)
        let characters = Array(line)
        let lowered = characters.map { String($0).lowercased() }
        var position = column
        var index = 0
        while index < characters.count && position < column + width {
            let term = terms.first { term in
                let termCharacters = Array(term)
                guard index + termCharacters.count <= characters.count else { return false }
                return (0..<termCharacters.count).allSatisfy { lowered[index + $0] == String(termCharacters[$0]) }
            }
            let length = term.map { $0.count } ?? 1
            let text = String(characters[index..<index + length])
            position += frame.put(text, row: row, column: position, width: column + width - position, style: term == nil ? plain : match)
            index += length
        }
    }
}

