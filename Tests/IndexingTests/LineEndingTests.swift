import Corpus
import Foundation
import Testing
@testable import Indexing

/// Windows line endings: Swift keeps "\r\n" as one Character, so splitting at "\n" alone left a CRLF file
/// one long line (a preview without line numbers, `get` returning the wrong lines). Lines are numbered as
/// the index numbers them.
@Suite("Line endings")
struct LineEndingTests {
    @Test("Given LF, CRLF and mixed text, when split into lines, then each line feed ends a line and no terminator remains")
    func splitLines() {
        #expect("a\r\nb\nc\r\n".splitLines() == ["a", "b", "c", ""])
        #expect("one\ntwo".splitLines() == ["one", "two"])
        #expect("".splitLines() == [""])
        #expect("x\r\n\r\ny".splitLines() == ["x", "", "y"])
        // The chunker's line numbers agree: line 3 is "c".
        #expect(SourceLines("a\r\nb\nc\r\n").line(2) == "c")
    }

    @Test("Given a CRLF file in a root, when lines 2–3 are read as `get` reads them, then they are lines 2 and 3")
    func rootedReadOfWindowsFile() throws {
        let tree = try TemporaryTree()
        try tree.write("notes/win.md", "# Title\r\nsecond line\r\nthird line\r\nfourth\r\n")
        let read = try RootedFile(roots: [tree.root]).read(tree.path("notes/win.md"), startLine: 2, endLine: 3)

        #expect(read.text == "second line\nthird line")
        #expect(read.lines == 2...3)
    }
}
