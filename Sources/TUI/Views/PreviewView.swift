import QweryCore

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
        let lines = result.path.isSamePath(as: state.previewPath) ? state.previewLines : result.text.splitLines()
        // Code a grammar parsed: its highlight runs per line (colours only; never with NO_COLOR).
        let highlights = colours && result.path.isSamePath(as: state.previewPath) ? state.previewHighlights : nil
        let firstLineNumber = result.path.isSamePath(as: state.previewPath) ? 1 : result.startLine
        let chunkStart = result.startLine - firstLineNumber
        let anchor = max(0, min(chunkStart - 2, lines.count - 1))
        let gutterWidth = String(firstLineNumber + lines.count).count
        let textColumn = region.column + 1 + gutterWidth + 1
        let textWidth = region.column + region.width - textColumn
        guard textWidth > 0, !lines.isEmpty else { return }
        // The query's words, and the names its `sym:` filters look for.
        let terms = state.analysis.highlightTerms + state.analysis.symbolTerms
        // Long lines (minified code, one-line JSON) wrap onto the following rows, so nothing is cut off;
        // scrolling moves by rows. Rows are laid out from two lines above the chunk, only as far as drawn.
        let height = region.height - 1
        var rows: [Row] = []
        var index = anchor
        while index < lines.count && rows.count < state.previewScroll + height {
            let number = firstLineNumber + index
            let visible = TerminalText.visible(lines[index])
            // A line whose control characters were made visible no longer lines up with its highlight runs.
            let syntax = visible == lines[index] ? highlights.flatMap { index < $0.count ? $0[index] : nil } ?? [] : []
            let pieces = Self.wrap(Self.runs(visible, terms: terms, syntax: syntax), width: textWidth)
            for (piece, runs) in pieces.enumerated() { rows.append(Row(number: number, first: piece == 0, runs: runs)) }
            index += 1
        }
        let skip = min(state.previewScroll, max(0, rows.count - 1))
        for (offset, line) in rows.dropFirst(skip).prefix(height).enumerated() {
            let row = region.row + 1 + offset
            let inChunk = line.number >= result.startLine && line.number <= result.endLine
            frame.put(inChunk ? "▎" : " ", row: row, column: region.column, style: CellStyle(foreground: .accent))
            let label = line.first ? String(line.number).leftPadded(to: gutterWidth) + " " : String(repeating: " ", count: gutterWidth - 1) + "↪ "
            frame.put(label, row: row, column: region.column + 1, style: CellStyle(foreground: .lineNumber))
            let plain = CellStyle(foreground: inChunk ? .foreground : .dim)
            let match = CellStyle(foreground: .match, bold: true, underline: !colours)
            var column = textColumn
            for run in line.runs {
                // Highlighting marks the chunk's lines; the lines around it stay dim.
                let style = run.isMatch ? match : inChunk ? run.kind.map { CellStyle(foreground: ThemeRole.syntax($0)) } ?? plain : plain
                column += frame.put(run.text, row: row, column: column, width: textColumn + textWidth - column, style: style)
            }
        }
    }

    /// One screen row of the preview: a file line, or the continuation of a long one.
    private struct Row {
        let number: Int
        let first: Bool
        let runs: [Run]
    }

    /// Text in one style: plain, an occurrence of a query term, or a kind of highlighted code.
    struct Run: Equatable {
        var text: String
        var isMatch: Bool
        var kind: SyntaxKind?

        init(text: String, isMatch: Bool, kind: SyntaxKind? = nil) {
            self.text = text
            self.isMatch = isMatch
            self.kind = kind
        }
    }

    /// A line cut into runs, every occurrence of the query terms (case-insensitive) a match, the rest in
    /// the kinds of `syntax` (character ranges of the line).
    static func runs(_ line: String, terms: [String], syntax: [HighlightRun] = []) -> [Run] {
        var kinds: [SyntaxKind?] = []
        if !syntax.isEmpty {
            kinds = Array(repeating: nil, count: line.count)
            for run in syntax {
                for index in run.characters where index < kinds.count { kinds[index] = run.kind }
            }
        }
        func kind(_ index: Int) -> SyntaxKind? { index < kinds.count ? kinds[index] : nil }
        let characters = Array(line)
        let lowered = characters.map { String($0).lowercased() }
        var runs: [Run] = []
        var index = 0
        while index < characters.count {
            let term = terms.first { term in
                let termCharacters = Array(term)
                guard !termCharacters.isEmpty, index + termCharacters.count <= characters.count else { return false }
                return (0..<termCharacters.count).allSatisfy { lowered[index + $0] == String(termCharacters[$0]) }
            }
            let length = term.map { $0.count } ?? 1
            let text = String(characters[index..<index + length])
            let runKind = term == nil ? kind(index) : nil
            if let last = runs.last, !last.isMatch, term == nil, last.kind == runKind {
                runs[runs.count - 1].text += text
            } else {
                runs.append(Run(text: text, isMatch: term != nil, kind: runKind))
            }
            index += length
        }
        return runs
    }

    /// Runs laid out in rows of at most `width` columns (a line with no text is one empty row).
    static func wrap(_ runs: [Run], width: Int) -> [[Run]] {
        var rows: [[Run]] = [[]]
        var used = 0
        for run in runs {
            for character in run.text {
                let columns = TextWidth.of(character)
                if used + columns > width && used > 0 {
                    rows.append([])
                    used = 0
                }
                if let last = rows[rows.count - 1].last, last.isMatch == run.isMatch, last.kind == run.kind {
                    rows[rows.count - 1][rows[rows.count - 1].count - 1].text.append(character)
                } else {
                    rows[rows.count - 1].append(Run(text: String(character), isMatch: run.isMatch, kind: run.kind))
                }
                used += columns
            }
        }
        return rows
    }
}
