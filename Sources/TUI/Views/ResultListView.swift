import Foundation
import QweryCore

/// The ranked results: a score bar, how far the reranker moved the result, path:line and a snippet.
struct ResultListView {
    let colours: Bool

    static let bars: [Character] = [" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"]

    func draw(_ state: AppState, in region: Layout.Region, into frame: inout Frame) {
        guard region.height > 0 else { return }
        if state.results.isEmpty {
            let filters = QueryLineView.filterLabel(state)
            let message = state.query.text.isEmpty ? "Your notes and code, searched by meaning."
                : state.answeredGeneration < state.generation ? "Searching…"
                : filters.map { "No results with these filters (\($0))." } ?? "No results."
            frame.put(message, row: region.row, column: region.column + 2, width: region.width - 2, style: CellStyle(foreground: .dim))
            return
        }
        let best = state.results.map(score).max() ?? 1
        // Each row's snippet is the line Enter opens at: the query's first match, or the definition `sym:` asks for.
        let match = Match(terms: state.analysis.highlightTerms, symbols: state.analysis.symbolTerms)
        for offset in 0..<region.height {
            let index = state.listScroll + offset
            guard index < state.results.count else { break }
            drawRow(state, state.results[index], rank: index + 1, selected: index == state.selection, focused: state.focus == .list,
                    best: best, match: match, row: region.row + offset, region: region, into: &frame)
        }
    }

    /// The score shown by the bar: the rerank probability when there is one, else the fused score.
    private func score(_ result: SearchResult) -> Double {
        result.rerankScore.map(Double.init) ?? result.fusedScore
    }

    /// What a row's snippet looks for.
    private struct Match {
        let terms: [String]
        let symbols: [String]
    }

    private func drawRow(_ state: AppState, _ result: SearchResult, rank: Int, selected: Bool, focused: Bool, best: Double,
                         match: Match, row: Int, region: Layout.Region, into frame: inout Frame) {
        let background: ThemeRole = selected ? .selectionBackground : .background
        let base = CellStyle(foreground: selected ? .selectionForeground : .foreground, background: background,
                             bold: selected && focused, reverse: selected && !colours)
        frame.fill(row: row, from: region.column, width: region.width, style: base)
        var column = region.column
        column += frame.put(selected ? "▌" : " ", row: row, column: column, style: CellStyle(foreground: .accent, background: background))
        // Score bar: 4 cells, 8 steps each, relative to the best result on screen.
        let fraction = best > 0 ? max(0, min(1, (result.rerankScore.map(Double.init) ?? result.fusedScore) / best)) : 0
        let eighths = Int((fraction * 32).rounded())
        var bar = ""
        for cell in 0..<4 { bar.append(Self.bars[max(0, min(8, eighths - cell * 8))]) }
        column += frame.put(bar, row: row, column: column, style: CellStyle(foreground: .scoreBar, background: background))
        column += frame.put(" ", row: row, column: column, style: base)
        column += drawMovement(result, rank: rank, row: row, column: column, background: background, into: &frame)
        // A document's hit names its page or cell; its line counts only in the extracted text. Other files name
        // the line Enter opens at, the one the snippet shows.
        let bestLine = result.bestLine(terms: match.terms, symbols: match.symbols)
        let location = result.locator.map { "\(state.displayPath(result.path)) \($0.label)" }
            ?? "\(state.displayPath(result.path)):\(result.startLine + bestLine.offset)"
        // Code parsed by a grammar leads with its symbol: `Ledger.reconcile  src/ledger.rs:23`. When they do not fit
        // beside the matching line, the symbol is cut first, then the path (from its start, keeping file and line),
        // so the line keeps its room; nothing is drawn past the pane (the separator beside the preview stays).
        let end = region.column + region.width
        let symbol = result.symbol?.split(separator: ",").first.map { TerminalText.visible(String($0)) }
        let identical = result.identicalPaths.isEmpty ? "" : " +\(result.identicalPaths.count) identical"
        let snippet = result.snippet(terms: match.terms, symbols: match.symbols)
        let budget = Self.budget(available: end - column, symbol: symbol.map { TextWidth.of($0) + 2 } ?? 0,
                                 location: TextWidth.of(location) + TextWidth.of(identical) + 2, snippet: TextWidth.of(snippet))
        if let symbol, budget.symbol > 2 {
            column += frame.put(TextWidth.truncated(symbol, to: budget.symbol - 2) + "  ", row: row, column: column, width: end - column,
                                style: CellStyle(foreground: .accent, background: background, bold: selected))
        }
        let locationWidth = max(0, budget.location - 2 - TextWidth.of(identical))
        column += frame.put(TextWidth.truncatedFromStart(location, to: locationWidth), row: row, column: column, width: max(0, end - column),
                            style: CellStyle(foreground: .path, background: background, bold: selected))
        if !identical.isEmpty {
            column += frame.put(identical, row: row, column: column, width: max(0, end - column),
                                style: CellStyle(foreground: .dim, background: background))
        }
        column += frame.put("  ", row: row, column: column, width: max(0, end - column), style: base)
        frame.put(snippet, row: row, column: column, width: max(0, end - column),
                  style: CellStyle(foreground: selected ? .selectionForeground : .dim, background: background))
    }

    /// Columns for the symbol and the location (each with its two spaces) out of `available`: what they need, as
    /// long as the snippet keeps its own width up to 6 columns or an eighth of the row (the start of the matching
    /// line: `fn top`); past that the symbol is cut first (down to a third of what is left), then the location.
    static func budget(available: Int, symbol: Int, location: Int, snippet: Int) -> (symbol: Int, location: Int) {
        let room = max(0, available - min(snippet, max(6, available / 8)))
        guard symbol + location > room else { return (symbol, location) }
        let symbolShare = min(symbol, max(room / 3, room - location))
        return (symbolShare, max(0, min(location, room - symbolShare)))
    }

    /// "▲3", "▼1" or "=" after the reranker scored the result; spaces before.
    private func drawMovement(_ result: SearchResult, rank: Int, row: Int, column: Int, background: ThemeRole,
                              into frame: inout Frame) -> Int {
        let text: String
        let role: ThemeRole
        if result.rerankScore == nil {
            text = "   "
            role = .dim
        } else {
            let moved = result.fusedRank - rank
            text = moved > 0 ? "▲\(min(moved, 99))" : moved < 0 ? "▼\(min(-moved, 99))" : "= "
            role = moved > 0 ? .movedUp : moved < 0 ? .movedDown : .dim
        }
        let padded = text.padding(toLength: 3, withPad: " ", startingAt: 0) + " "
        return frame.put(padded, row: row, column: column, style: CellStyle(foreground: role, background: background))
    }
}
