import Foundation
import Testing
import Corpus
@testable import Indexing

/// Emacs org files: headings give the context path as Markdown's do; source blocks stay whole (issue #23).
@Suite("Org files")
struct OrgChunkTests {
    static let filler = "This paragraph is long enough to stand as a chunk of its own in the notes of the project, with plenty of words in it."

    @Test("Given an org file with nested headings, tags and a source block, when chunked, then contexts name the heading path and the block is not split")
    func headingsAndSourceBlocks() throws {
        let text = """
        #+TITLE: Projects
        * Garden :home:
        \(Self.filler) \(Self.filler) \(Self.filler) \(Self.filler)
        ** TODO Plant the tomatoes :spring:
        \(Self.filler) \(Self.filler) marigold
        * Code
        #+BEGIN_SRC python
        def water(plants):
            # * not a heading inside a block
            for plant in plants:
                plant.water()
        #+END_SRC
        """
        #expect(FileKind(path: "notes/projects.org") == .org)
        let chunks = Chunker(tokenizer: ChunkerTests.tokenizer).chunks(of: text, path: "notes/projects.org")
        let marigold = try #require(chunks.first { $0.text.contains("marigold") })
        // As in Markdown: a section's chunk carries the path of the headings above its own, and its own heading
        // line is its first line.
        #expect(marigold.context == "Garden", "the parent heading, tags dropped: \(marigold.context)")
        #expect(marigold.text.hasPrefix("** TODO Plant the tomatoes"))
        let code = try #require(chunks.first { $0.text.contains("def water") })
        #expect(code.text.contains("#+END_SRC") && code.text.contains("plant.water()"), "the source block is one piece")
        #expect(!chunks.contains { $0.context.contains("not a heading") })
        #expect(MarkdownBlocks.orgHeading("** TODO Plant :a:b:")?.1 == "TODO Plant")
        #expect(MarkdownBlocks.orgHeading("*bold* text") == nil)
    }
}
