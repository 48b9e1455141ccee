import QweryCore

/// The bottom line: a message first when there is one (cut at the width: F1 shows all of it), then
/// indexing and watching, models, dimension, instruction preset, rerank progress, last search time, and
/// the help hint.
struct StatusBarView {
    let colours: Bool

    func draw(_ state: AppState, in region: Layout.Region, into frame: inout Frame) {
        let style = CellStyle(foreground: .statusForeground, background: .statusBackground, reverse: !colours)
        frame.fill(row: region.row, width: region.width, style: style)
        var parts: [String] = []
        if let notice = state.status.notice { parts.append("⚠ " + TerminalText.visible(notice)) }
        if let activity = state.status.activity { parts.append(TerminalText.visible(activity)) }
        parts.append(state.status.indexing.text)
        if let coverage = state.status.coverage, coverage.searchable < coverage.total {
            parts.append("semantic over \(coverage.searchable.formatted()) of \(coverage.total.formatted()) chunks")
        }
        if !state.status.watching.isEmpty { parts.append(state.status.watching) }
        parts.append(state.status.embeddingModel)
        if state.status.hasEmbeddingModel {
            parts.append(state.dimensionLabel)
            parts.append("preset: \(state.instructionLabel)")
        }
        // The rerank state and the last search's time stay at the right whatever the width: the rest is cut first.
        var right = [rerankLabel(state)]
        if let milliseconds = state.status.lastSearchMilliseconds { right.append("\(Int(milliseconds.rounded())) ms") }
        let noticeCut = state.status.notice.map { TextWidth.of("⚠ " + TerminalText.visible($0)) > region.width - 24 } ?? false
        let hint = noticeCut ? " F1: whole message " : " ? help "
        let rightText = " │ " + right.joined(separator: " │ ") + " "
        let rightWidth = min(TextWidth.of(rightText), max(0, region.width - TextWidth.of(hint)))
        let leftWidth = max(0, region.width - TextWidth.of(hint) - rightWidth)
        let left = TextWidth.truncated(" " + parts.joined(separator: " │ "), to: leftWidth)
        frame.put(left, row: region.row, column: 0, width: leftWidth, style: style)
        frame.put(rightText, row: region.row, column: leftWidth, width: rightWidth, style: style)
        frame.put(hint, row: region.row, column: region.width - TextWidth.of(hint), style: CellStyle(foreground: .accent, background: .statusBackground, bold: true, reverse: !colours))
    }

    private func rerankLabel(_ state: AppState) -> String {
        guard state.status.rerankerModel != nil else { return "no reranker" }
        guard state.rerankEnabled else { return "rerank off" }
        if state.status.rerankRunning { return "reranking \(state.status.rerankDone)/\(state.status.rerankTotal)" }
        if state.status.rerankTotal > 0 { return "reranked \(state.status.rerankTotal)" }
        return "rerank on"
    }
}
