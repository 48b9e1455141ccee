import QweryCore

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

/// Every key, on ? or F1, from the keymap's own table.
struct HelpOverlay {
    let colours: Bool

    /// The keys, after the whole of the last message when there is one (the status bar cuts it at its width).
    func draw(notice: String?, into frame: inout Frame) {
        let lines = Keymap.helpLines
        let keyWidth = min(34, lines.map { TextWidth.of($0.keys) }.max() ?? 0)
        let boxWidth = keyWidth + 72
        let message = notice.map { TextWidth.wrapped("⚠ " + TerminalText.visible($0), width: min(boxWidth, frame.columns - 2) - 4) } ?? []
        let messageRows = message.isEmpty ? 0 : message.count + 1
        let inner = OverlayBox(colours: colours).draw(title: message.isEmpty ? "keys" : "message and keys", width: boxWidth,
                                                      height: lines.count + messageRows + 2, into: &frame)
        let messageStyle = CellStyle(foreground: .accent, background: .statusBackground, reverse: !colours)
        for (offset, line) in message.enumerated() where offset < inner.height {
            frame.put(line, row: inner.row + offset, column: inner.column, width: inner.width, style: messageStyle)
        }
        for (offset, line) in lines.enumerated() where messageRows + offset < inner.height {
            let offset = messageRows + offset
            let keyStyle = CellStyle(foreground: .accent, background: .statusBackground, bold: true, reverse: !colours)
            let textStyle = CellStyle(foreground: .foreground, background: .statusBackground, reverse: !colours)
            frame.put(line.keys, row: inner.row + offset, column: inner.column, width: keyWidth, style: keyStyle)
            frame.put(line.help, row: inner.row + offset, column: inner.column + keyWidth + 1, width: max(0, inner.width - keyWidth - 1), style: textStyle)
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
