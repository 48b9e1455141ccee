import Foundation
import Testing
import Tokenizers
@testable import Indexing

/// A line longer than a chunk: cut at white space (every word whole in some piece), at grapheme
/// boundaries when there is none, with overlap, and byte ranges that point at the text.
@Suite("Long lines")
struct LongLineChunkTests {
    /// 3,000 pseudo-random words on one line (a deterministic generator: the same words every run).
    static func randomWords(count: Int) -> [String] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let length = 3 + Int((state >> 33) % 9)
            return String((0..<length).map { index in letters[Int((state >> UInt64(index * 5 % 60)) % 26)] })
        }
    }

    @Test("Given 3,000 words on one line, when chunked, then every word stands whole in some chunk and pieces overlap")
    func everyWordWhole() throws {
        let words = Self.randomWords(count: 3000)
        let text = words.joined(separator: " ") + "\n"
        let chunker = Chunker(tokenizer: ChunkerTests.tokenizer)
        let chunks = chunker.chunks(of: text, path: "paragraph.md")
        #expect(chunks.count >= 10)
        let chunkWords = chunks.map { Set($0.text.split(whereSeparator: \.isWhitespace).map(String.init)) }
        let missing = Set(words).filter { word in !chunkWords.contains { $0.contains(word) } }
        #expect(missing.isEmpty, "words cut in half: \(missing.prefix(5))")
        for chunk in chunks {
            #expect(chunk.tokenCount <= chunker.maximumTokens)
            let bytes = Array(text.utf8)[chunk.byteRange]
            #expect(String(decoding: bytes, as: UTF8.self) == chunk.text)
            // No piece starts or ends inside a word.
            if chunk.byteRange.lowerBound > 0 { #expect(text.utf8[text.utf8.index(text.utf8.startIndex, offsetBy: chunk.byteRange.lowerBound - 1)] == 0x20) }
        }
        for (previous, next) in zip(chunks, chunks.dropFirst()) {
            #expect(next.byteRange.lowerBound < previous.byteRange.upperBound, "pieces overlap")
        }
    }

    @Test("Given a long line of letters with combining marks and no spaces, when chunked, then no piece starts inside a character")
    func combiningMarks() {
        let text = String(repeating: "e\u{301}\u{323}", count: 4000)
        let chunker = Chunker(tokenizer: ChunkerTests.tokenizer)
        let chunks = chunker.chunks(of: text, path: "marks.txt")
        #expect(chunks.count > 1)
        #expect(chunks.count < 200, "pieces of many characters, not one per letter")
        for chunk in chunks {
            #expect(chunk.text.unicodeScalars.first == "e")
            #expect(chunk.tokenCount <= chunker.maximumTokens)
        }
        #expect(chunks.reduce(0) { $0 + $1.text.count } == 4000, "no overlap inside one word, nothing lost")
    }
}
