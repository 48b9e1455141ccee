import Foundation
import Testing
import Tokenizers
@testable import Indexing

/// Chunk boundaries, contexts, sizes and exact line ranges.
@Suite("Chunker")
struct ChunkerTests {
    static let tokenizer: Tokenizer = {
        do { return try Tokenizer(contentsOf: IndexingFixtures.tokenizerPath) } catch { fatalError("\(error)") }
    }()

    static func lines(_ text: String, _ chunk: Chunk) -> String {
        let all = text.split(separator: "\n", omittingEmptySubsequences: false)
        return all[(chunk.startLine - 1)..<chunk.endLine].joined(separator: "\n")
    }

    @Test("Given a short section after another (Markdown and org), when chunked, then it is a chunk of its own whose context names the headings above its text", arguments: [
        ("trip.md", "# Work\n\nQuarterly planning and the budget review went long.\n\n# Travel\n\n## Kyoto\n\nWe walked down the lantern persimmon alley at dusk.\n"),
        ("trip.org", "* Work\nQuarterly planning and the budget review went long.\n* Travel\n** Kyoto\nWe walked down the lantern persimmon alley at dusk.\n"),
    ])
    func shortSectionKeepsItsHeadings(path: String, text: String) throws {
        let chunks = Chunker(tokenizer: Self.tokenizer).chunks(of: text, path: path)
        let kyoto = try #require(chunks.first { $0.text.contains("lantern persimmon alley") })
        #expect(kyoto.context == "Travel")
        #expect(kyoto.text.hasPrefix(path.hasSuffix(".md") ? "# Travel" : "* Travel"))
        #expect(!kyoto.text.contains("budget"), "the section before is not in its chunk")
        #expect(kyoto.embeddingText.hasPrefix("Travel\n"))
    }

    @Test("Given Markdown with headings, when chunked, then sections split on level-1/2 headings and carry their heading path")
    func markdownSections() throws {
        let long = "We walked for hours, stopping for coffee and pastries, and took the old tram back when our feet gave up."
        let text = """
        # Trip to Lisbon

        Flights booked for May. \(long) \(long)

        ## Day 1

        Walk through Alfama, then custard tarts in Belém. \(long)

        ### Food

        Try bacalhau.

        ## Day 2

        Train to Sintra.
        """
        let chunks = Chunker(tokenizer: Self.tokenizer).chunks(of: text, path: "trip.md")
        try #require(chunks.count == 3)
        #expect(chunks.map(\.startLine) == [1, 5, 13])
        #expect(chunks.map(\.endLine) == [3, 11, 15])
        #expect(chunks.map(\.context) == ["", "Trip to Lisbon", "Trip to Lisbon"])
        #expect(chunks[1].text.contains("### Food"))
        #expect(chunks[2].embeddingText == "Trip to Lisbon\n## Day 2\n\nTrain to Sintra.")
    }

    @Test("Given a note of short sections, when chunked, then a heading-only start is not left alone, and each section keeps its own chunk and heading path")
    func shortSectionsMerge() {
        let text = "# 1:1 with Ana\n\n## June\n\nRotate release duty.\n\n## July\n\nCareer talk.\n"
        let chunks = Chunker(tokenizer: Self.tokenizer).chunks(of: text, path: "ana.md")
        #expect(chunks.map { [$0.startLine, $0.endLine] } == [[1, 5], [7, 9]])
        #expect(chunks.map(\.context) == ["1:1 with Ana", "1:1 with Ana"])
    }

    @Test("Given code with several top-level declarations, when chunked, then units are merged up to the size limit without splitting one")
    func codeUnits() {
        var units: [String] = []
        for index in 0..<40 {
            units.append("""
            /// Adds \(index).
            func add\(index)(_ value: Int) -> Int {
                let result = value + \(index)
                return result
            }
            """)
        }
        let text = units.joined(separator: "\n\n") + "\n"
        // The indentation chunker, whatever grammars are installed (SyntaxChunkTests covers the parsed path).
        var chunker = Chunker(tokenizer: Self.tokenizer)
        chunker.grammars = nil
        let chunks = chunker.chunks(of: text, path: "math.swift")
        #expect(chunks.count > 1)
        for chunk in chunks {
            #expect(chunk.tokenCount <= chunker.maximumTokens)
            #expect(chunk.text.hasPrefix("/// Adds"), "chunks start at a declaration's doc comment")
            #expect(chunk.text.hasSuffix("}\n") || chunk.text.hasSuffix("}"))
            #expect(Self.lines(text, chunk).trimmingCharacters(in: .newlines) == chunk.text.trimmingCharacters(in: .newlines))
        }
        #expect(chunks.first?.startLine == 1)
        #expect(chunks.last?.endLine == 40 * 6 - 1)
    }

    @Test("Given one declaration longer than a chunk, when chunked, then pieces overlap or meet at blank lines and carry the declaration")
    func oversizedDeclaration() {
        var body: [String] = ["class Inventory {"]
        for index in 0..<120 {
            body.append("    var item\(index): String = \"a fairly long default value for item number \(index)\"")
            if index % 10 == 9 { body.append("") }
        }
        body.append("}")
        let text = body.joined(separator: "\n")
        // The indentation chunker, whatever grammars are installed (SyntaxChunkTests covers the parsed path).
        var chunker = Chunker(tokenizer: Self.tokenizer)
        chunker.grammars = nil
        let chunks = chunker.chunks(of: text, path: "Inventory.swift")
        #expect(chunks.count >= 3)
        #expect(chunks[0].context == "")
        for chunk in chunks.dropFirst() {
            #expect(chunk.context == "class Inventory {")
        }
        for chunk in chunks {
            #expect(chunk.tokenCount <= chunker.maximumTokens)
            #expect(Self.lines(text, chunk) == chunk.text.trimmingCharacters(in: .newlines) || Self.lines(text, chunk) + "\n" == chunk.text)
        }
        for (previous, next) in zip(chunks, chunks.dropFirst()) {
            #expect(next.startLine <= previous.endLine + 1, "no line is lost between pieces")
        }
        #expect(chunks.last?.endLine == body.count)
    }

    @Test("Given plain text paragraphs, when chunked, then byte ranges point at the exact text")
    func byteRanges() {
        let text = "First paragraph, line one.\nLine two.\n\nSecond paragraph — with UTF-8: café, 東京.\n"
        let chunks = Chunker(tokenizer: Self.tokenizer).chunks(of: text, path: "notes.txt")
        let bytes = Array(text.utf8)
        for chunk in chunks {
            #expect(String(decoding: bytes[chunk.byteRange], as: UTF8.self) == chunk.text)
        }
        #expect(chunks.count == 1)
        #expect(chunks[0].startLine == 1 && chunks[0].endLine == 4)
    }
}
