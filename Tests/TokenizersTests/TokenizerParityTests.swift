import Foundation
import Testing
@testable import Tokenizers

/// The token ids of every fixture text must equal those of Hugging Face `tokenizers`.
@Suite("Tokenizer parity with Hugging Face tokenizers")
struct TokenizerParityTests {
    struct Case {
        let line: Int
        let text: String
        let ids: [Int]
    }

    static let tokenizer: Tokenizer = {
        do { return try Tokenizer(contentsOf: FixturePaths.qwen3Tokenizer) } catch { fatalError("\(error)") }
    }()

    static func loadCases() throws -> [Case] {
        let contents = try String(contentsOfFile: FixturePaths.expectedIds, encoding: .utf8)
        var cases: [Case] = []
        for (index, line) in contents.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            let json = try JSONParser.parse(String(line))
            let text = try #require(json["text"]?.stringValue)
            let idValues = try #require(json["ids"]?.arrayValue)
            let ids = idValues.compactMap { $0.intValue }
            cases.append(Case(line: index + 1, text: text, ids: ids))
        }
        return cases
    }

    @Test("Given the 3,000+ fixture texts, when encoded, then every id list equals the reference's")
    func everyFixtureMatches() throws {
        let cases = try Self.loadCases()
        #expect(cases.count >= 3000)
        var mismatches: [String] = []
        for testCase in cases {
            let ids = Self.tokenizer.encode(testCase.text)
            if ids != testCase.ids {
                mismatches.append("line \(testCase.line) \(testCase.text.prefix(60).debugDescription): got \(ids.prefix(20)) expected \(testCase.ids.prefix(20))")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, first: \(mismatches.prefix(5).joined(separator: "\n"))")
    }

    @Test("Given the fixture texts, when encoded and decoded, then the text comes back NFC-normalized")
    func decodeRoundTrips() throws {
        var failures: [Int] = []
        for testCase in try Self.loadCases() {
            let decoded = Self.tokenizer.decode(Self.tokenizer.encode(testCase.text))
            let expected = testCase.text.precomposedStringWithCanonicalMapping
            if !decoded.unicodeScalars.elementsEqual(expected.unicodeScalars) { failures.append(testCase.line) }
        }
        #expect(failures.isEmpty, "lines \(failures.prefix(10))")
    }

    @Test("Given the Qwen3 vocabulary, when encoding the README's checks, then the ids are the documented ones")
    func documentedExamples() {
        #expect(Self.tokenizer.encode("Hello world") == [9707, 1879])
        #expect(Self.tokenizer.encode("你好") == [108386])
        #expect(Self.tokenizer.encode("<|endoftext|>") == [151643])
        #expect(Self.tokenizer.vocabularySize == 151669)
        #expect(Self.tokenizer.tokenId(for: "<|im_start|>") == 151644)
        #expect(Self.tokenizer.tokenId(for: "yes") == 9693)
        #expect(Self.tokenizer.tokenId(for: "no") == 2152)
    }

    @Test("Given the shared file has only a ByteLevel post-processor, when adding special tokens, then nothing is added")
    func byteLevelPostProcessorAddsNothing() {
        #expect(Self.tokenizer.encode("Hello world", addSpecialTokens: true) == [9707, 1879])
    }
}
