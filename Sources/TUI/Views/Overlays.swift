/// A box drawn over the main screen.
struct OverlayBox {
    let colours: Bool

    /// Draws the frame of a centred box and returns its inner region.
    func draw(title: String, width wantedWidth: Int, height wantedHeight: Int, into frame: inout Frame) -> Layout.Region {
        let width = max(4, min(wantedWidth, frame.columns - 2))
        let height = max(2, min(wantedHeight, frame.rows - 2))
        let top = max(0, (frame.rows - height) / 2)
        let left = max(0, (frame.columns - width) / 2)
        let border = CellStyle(foreground: .accent, background: .statusBackground)
        let inside = CellStyle(foreground: .foreground, background: .statusBackground, reverse: !colours)
        for row in top..<(top + height) { frame.fill(row: row, from: left, width: width, style: inside) }
        frame.put("╭" + String(repeating: "─", count: max(0, width - 2)) + "╮", row: top, column: left, style: border)
        frame.put("╰" + String(repeating: "─", count: max(0, width - 2)) + "╯", row: top + height - 1, column: left, style: border)
        for row in (top + 1)..<max(top + 1, top + height - 1) {
            frame.put("│", row: row, column: left, style: border)
            frame.put("│", row: row, column: left + width - 1, style: border)
        }
        frame.put(" \(title) ", row: top, column: left + 2, style: CellStyle(foreground: .accent, background: .statusBackground, bold: true))
        return Layout.Region(row: top + 1, column: left + 2, height: max(0, height - 2), width: max(0, width - 4))
    }
}

/// Every key, on ? or F1.
struct HelpOverlay {
    let colours: Bool

    static let lines: [(String, String)] = [
        ("type", "search: lexical hits at once, semantic ones when the query is embedded"),
        ("←/→ Home/End Ctrl-A/E", "move in the query line"),
        ("Backspace Delete Ctrl-D", "delete a character"),
        ("Ctrl-U / Ctrl-K / Ctrl-W", "delete to start / to end / the word before"),
        ("↑/↓ Ctrl-P/N PgUp/PgDn", "move through results (or scroll the preview)"),
        ("Enter", "open the result in $VISUAL / $EDITOR at its line"),
        ("Tab", "switch focus between results and preview"),
        ("F2 / Alt-i", "instruction editor: presets or your own instruction"),
        ("F3 / Alt-d", "cycle embedding dimensions (MRL, no re-indexing)"),
        ("F4 / Alt-r", "reranker on/off"),
        ("F5 / Alt-p", "next instruction preset"),
        ("F6 / Alt-s", "more like the selected result (query becomes similar:PATH:LINE)"),
        ("mouse", "wheel scrolls, click selects"),
        ("? / F1", "this help (? only while the query is empty)"),
        ("Esc / Ctrl-C", "close a window, or quit"),
    ]

    func draw(into frame: inout Frame) {
        let inner = OverlayBox(colours: colours).draw(title: "keys", width: 86, height: Self.lines.count + 2, into: &frame)
        for (offset, line) in Self.lines.enumerated() where offset < inner.height {
            let keyStyle = CellStyle(foreground: .accent, background: .statusBackground, bold: true, reverse: !colours)
            let textStyle = CellStyle(foreground: .foreground, background: .statusBackground, reverse: !colours)
            frame.put(line.0, row: inner.row + offset, column: inner.column, width: 26, style: keyStyle)
            frame.put(line.1, row: inner.row + offset, column: inner.column + 27, width: inner.width - 27, style: textStyle)
        }
    }
}

/// Choose an instruction preset or type a custom instruction; Enter applies, Esc cancels.
struct InstructionEditorOverlay {
    let colours: Bool

    func draw(_ state: AppState, selected: Int, custom: QueryLine, into frame: inout Frame) {
        let inner = OverlayBox(colours: colours).draw(title: "instruction (↑/↓ choose · type a custom one · Enter apply · Esc cancel)",
                                                      width: 96, height: state.presets.count + 4, into: &frame)
        for (index, preset) in state.presets.enumerated() where index < inner.height {
            let chosen = index == selected
            let style = CellStyle(foreground: chosen ? .selectionForeground : .foreground,
                                  background: chosen ? .selectionBackground : .statusBackground, bold: chosen, reverse: chosen && !colours)
            frame.fill(row: inner.row + index, from: inner.column, width: inner.width, style: style)
            frame.put("\(preset.name): \(preset.instruction)", row: inner.row + index, column: inner.column, width: inner.width, style: style)
        }
        let customRow = inner.row + state.presets.count + 1
        let chosen = selected == state.presets.count
        let style = CellStyle(foreground: chosen ? .selectionForeground : .dim,
                              background: chosen ? .selectionBackground : .statusBackground, bold: chosen, reverse: chosen && !colours)
        frame.fill(row: customRow, from: inner.column, width: inner.width, style: style)
        let label = "custom: "
        frame.put(label + custom.text, row: customRow, column: inner.column, width: inner.width, style: style)
        if chosen { frame.cursor = (customRow, inner.column + TextWidth.of(label) + TextWidth.of(String(custom.characters[..<custom.cursor]))) }
    }
}
