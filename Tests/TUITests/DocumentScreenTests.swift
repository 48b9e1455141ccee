import Corpus
import Foundation
import Testing
@testable import Search
@testable import TUI

/// Documents on the screen: Enter on a PDF hit opens a viewer at its page; the list names the page.
@Suite("Documents on the screen")
struct DocumentScreenTests {
    static func state(with result: SearchResult) -> AppState {
        var state = AppState()
        let effects = reduce(&state, .insert("q"))
        guard case .search(let request)? = effects.first else { return state }
        _ = reduce(&state, .results(generation: request.generation, results: [result], phase: .lexical, milliseconds: 1))
        return state
    }

    @Test("Given a PDF hit on page 7, when Enter is pressed, then the document opens at page 7; a note opens in the editor")
    func enterOpensAtPage() {
        var pdf = ReducerTests.result(1, path: "/docs/paper.pdf", line: 40, fusedRank: 1)
        pdf.locator = .page(7)
        var state = Self.state(with: pdf)
        #expect(reduce(&state, .open) == [.openDocument(path: "/docs/paper.pdf", page: 7)])

        var epub = Self.state(with: ReducerTests.result(2, path: "/docs/book.epub", line: 3, fusedRank: 1))
        #expect(reduce(&epub, .open) == [.openDocument(path: "/docs/book.epub", page: nil)])

        var note = Self.state(with: ReducerTests.result(3, path: "/notes/a.md", line: 12, fusedRank: 1))
        #expect(reduce(&note, .open) == [.openEditor(path: "/notes/a.md", line: 12)])
        var notebook = Self.state(with: ReducerTests.result(4, path: "/nb/a.ipynb", line: 5, fusedRank: 1))
        #expect(reduce(&notebook, .open) == [.openEditor(path: "/nb/a.ipynb", line: 5)])
    }

    @Test("Given viewers installed or not and a configured command, when a PDF is opened, then the command fills in path and page")
    func viewerCommand() {
        #expect(DocumentOpener.command(path: "/d/p.pdf", page: 3, configured: nil, isInstalled: { $0 == "evince" })
            == ["evince", "--page-label=3", "/d/p.pdf"])
        #expect(DocumentOpener.command(path: "/d/p.pdf", page: 3, configured: nil, isInstalled: { ["zathura", "okular"].contains($0) })
            == ["zathura", "--page=3", "/d/p.pdf"])
        #expect(DocumentOpener.command(path: "/d/p.pdf", page: 3, configured: nil, isInstalled: { _ in false }) == ["xdg-open", "/d/p.pdf"])
        #expect(DocumentOpener.command(path: "/d/p.pdf", page: 3, configured: "mupdf {path} {page}", isInstalled: { _ in false })
            == ["mupdf", "/d/p.pdf", "3"])
        #expect(DocumentOpener.command(path: "/d/b.docx", page: nil, configured: nil, isInstalled: { _ in true }) == ["xdg-open", "/d/b.docx"])
    }

    @Test("Given a PDF hit, when the list is drawn, then its row names the page rather than a line of extracted text")
    func listNamesPage() {
        var pdf = ReducerTests.result(1, path: "/docs/paper.pdf", line: 40, fusedRank: 1)
        pdf.locator = .page(7)
        let state = Self.state(with: pdf)
        var frame = Frame(rows: 12, columns: 100)
        ResultListView(colours: false).draw(state, in: Layout.Region(row: 0, column: 0, height: 10, width: 100), into: &frame)
        let text = (0..<12).map(frame.line).joined(separator: "\n")
        #expect(text.contains("paper.pdf page 7"), "\(text)")
        #expect(!text.contains("paper.pdf:40"))
    }
}
