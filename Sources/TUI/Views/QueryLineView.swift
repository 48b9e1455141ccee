import QweryCore

/// The query line: prompt, text with the cursor, and the search phase on the right.
struct QueryLineView {
    let colours: Bool

    func draw(_ state: AppState, in region: Layout.Region, into frame: inout Frame) {
        let prompt = "❯ "
        frame.put(prompt, row: region.row, column: 0, style: CellStyle(foreground: .prompt, bold: true))
        let promptWidth = TextWidth.of(prompt)
        let right = phaseLabel(state)
        let available = max(1, region.width - promptWidth - TextWidth.of(right) - 1)
        // Scroll the text so the cursor stays visible.
        let characters = state.query.characters
        var start = 0
        while TextWidth.of(String(characters[start..<state.query.cursor])) >= available && start < state.query.cursor { start += 1 }
        let visible = String(characters[start...])
        frame.put(visible, row: region.row, column: promptWidth, width: available, style: CellStyle(bold: true))
        if state.overlay == nil {
            frame.cursor = (region.row, promptWidth + TextWidth.of(String(characters[start..<state.query.cursor])))
        }
        frame.put(right, row: region.row, column: region.width - TextWidth.of(right), style: CellStyle(foreground: .dim))
        if state.query.text.isEmpty {
            frame.put("type to search by meaning · ? for help", row: region.row, column: promptWidth,
                      width: available, style: CellStyle(foreground: .dim))
        }
    }

    /// The active filters (`filters: ext:md -draft`), or the syntax error, shown on the right.
    static func filterLabel(_ state: AppState) -> String? {
        switch state.analysis.parsed {
        case .success(let parsed): return parsed.filters.isEmpty ? nil : "filters: " + parsed.filters.summary.joined(separator: " ")
        case .failure(let error): return "\(error)"
        }
    }

    private func phaseLabel(_ state: AppState) -> String {
        if let filters = Self.filterLabel(state) {
            return filters + (state.status.lastSearchMilliseconds != nil && state.phase != nil ? " · " + timing(state) : "")
        }
        return timing(state)
    }

    private func timing(_ state: AppState) -> String {
        guard let milliseconds = state.status.lastSearchMilliseconds, state.phase != nil else { return "" }
        let phase = state.isFilterOnlyQuery ? "listed" : state.phase == .semantic ? "semantic" : "lexical"
        return "\(phase) \(Int(milliseconds.rounded())) ms"
    }
}
