import QweryCore
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

        // Code opens at the line the list shows: the definition for sym:, the first match for words.
        let code = SearchResult(chunkId: 5, path: "/src/ledger.go", startLine: 28, endLine: 31, context: "Ledger.Reconcile",
                                text: "// Reconcile the ledger.\nfunc (l *Ledger) Reconcile(amount int) int {\n\treturn amount // balance\n}",
                                contentHash: Data([5]))
        var symbolState = Self.state(with: code)
        symbolState.query = QueryLine("sym:reconcile")
        #expect(reduce(&symbolState, .open) == [.openEditor(path: "/src/ledger.go", line: 29)])
        symbolState.query = QueryLine("balance")
        #expect(reduce(&symbolState, .open) == [.openEditor(path: "/src/ledger.go", line: 30)])
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

/// The preview of code a grammar parsed: highlight runs become theme roles inside the chunk, and plain
/// text without colours.
@Suite("Highlighted preview")
struct HighlightedPreviewTests {
    static func state() -> AppState {
        var result = ReducerTests.result(1, path: "/src/ledger.py", line: 1, fusedRank: 1)
        result.symbol = "reconcile"
        var state = DocumentScreenTests.state(with: result)
        let lines = ["def reconcile(amount):", "    return amount  # done"]
        let highlights: [[HighlightRun]] = [
            [HighlightRun(characters: 0..<3, kind: .keyword), HighlightRun(characters: 4..<13, kind: .function)],
            [HighlightRun(characters: 4..<10, kind: .keyword), HighlightRun(characters: 18..<24, kind: .comment)],
        ]
        _ = reduce(&state, .previewLoaded(path: "/src/ledger.py", lines: lines, highlights: highlights))
        return state
    }

    /// The foreground role of each character of a preview row's text.
    static func roles(_ frame: Frame, row: Int, text: String) -> [Character: ThemeRole] {
        let line = frame.line(row)
        guard let start = line.range(of: text).map({ line.distance(from: line.startIndex, to: $0.lowerBound) }) else { return [:] }
        var roles: [Character: ThemeRole] = [:]
        for (offset, character) in text.enumerated() where roles[character] == nil {
            roles[character] = frame[row, start + offset].style.foreground
        }
        return roles
    }

    @Test("Given highlight runs for the selected file, when the preview is drawn with colours, then keyword, function and comment take their roles")
    func coloured() {
        let state = Self.state()
        #expect(state.previewHighlights?.count == 2)
        var frame = Frame(rows: 6, columns: 60)
        PreviewView(colours: true).draw(state, in: Layout.Region(row: 0, column: 0, height: 6, width: 60), into: &frame)
        let first = (0..<6).first { frame.line($0).contains("def reconcile") } ?? -1
        #expect(Self.roles(frame, row: first, text: "def")["d"] == .syntaxKeyword)
        #expect(Self.roles(frame, row: first, text: "reconcile")["r"] == .syntaxFunction)
        #expect(Self.roles(frame, row: first + 1, text: "# done")["#"] == .syntaxComment)
        #expect(Self.roles(frame, row: first + 1, text: "amount")["a"] == .foreground, "unhighlighted code keeps the text colour")
    }

    @Test("Given the same state without colours (NO_COLOR), when drawn, then no syntax role is used")
    func plainWithoutColours() {
        var frame = Frame(rows: 6, columns: 60)
        PreviewView(colours: false).draw(Self.state(), in: Layout.Region(row: 0, column: 0, height: 6, width: 60), into: &frame)
        for row in 0..<6 {
            for column in 0..<60 {
                #expect(!ThemeRole.allCases.filter { $0.rawValue.hasPrefix("syntax_") }.contains(frame[row, column].style.foreground))
            }
        }
    }
}
