/// Draws the whole state into a frame: query line, results, preview, status bar, overlays.
package struct Renderer: Sendable {
    package let colours: Bool

    package init(colours: Bool) {
        self.colours = colours
    }

    package func render(_ state: AppState) -> Frame {
        var frame = Frame(rows: state.rows, columns: state.columns)
        let layout = Layout(rows: state.rows, columns: state.columns)
        QueryLineView(colours: colours).draw(state, in: layout.query, into: &frame)
        drawSeparators(state, layout, into: &frame)
        ResultListView(colours: colours).draw(state, in: layout.list, into: &frame)
        PreviewView(colours: colours).draw(state, in: layout.preview, into: &frame)
        StatusBarView(colours: colours).draw(state, in: layout.status, into: &frame)
        switch state.overlay {
        case .help: HelpOverlay(colours: colours).draw(notice: state.status.notice, into: &frame)
        case .instructionEditor(let selected, let custom):
            InstructionEditorOverlay(colours: colours).draw(state, selected: selected, custom: custom, into: &frame)
        case nil: break
        }
        return frame
    }

    private func drawSeparators(_ state: AppState, _ layout: Layout, into frame: inout Frame) {
        let border = CellStyle(foreground: .border)
        let header = "─ \(state.results.count) result\(state.results.count == 1 ? "" : "s")" + (state.phase == .lexical && state.status.semanticAvailable ? " · semantic…" : "") + " "
        frame.put(String(repeating: "─", count: state.columns), row: 1, column: 0, style: border)
        frame.put(header, row: 1, column: 0, style: CellStyle(foreground: .dim))
        if layout.sideBySide {
            for row in layout.list.row..<(layout.list.row + layout.list.height) {
                frame.put("│", row: row, column: layout.list.width, style: border)
            }
            frame.put("┬", row: 1, column: layout.list.width, style: border)
        } else {
            frame.put(String(repeating: "─", count: state.columns), row: layout.preview.row - 1, column: 0, style: border)
        }
    }
}
