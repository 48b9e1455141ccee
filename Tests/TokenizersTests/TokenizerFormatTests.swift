import Foundation
import Testing
@testable import Tokenizers

/// The tokenizer.json variants real checkpoints ship, and the errors for ones qwery cannot read.
@Suite("tokenizer.json formats and errors")
struct TokenizerFormatTests {
    static let byteLevelVocabulary: [(String, Int)] = ByteEncoder.scalarForByte.enumerated().map { byte, scalar in
        (String(Character(Unicode.Scalar(scalar)!)), byte)
    }

    /// A small byte-level BPE tokenizer.json with merges h+e, l+l, he+ll, Ġ+w.
    static func tinyTokenizerJSON(mergesAsPairs: Bool, postProcessor: String = "null", normalizer: String = "{\"type\": \"NFC\"}") -> String {
        var vocabulary = byteLevelVocabulary.map { "\"\($0.0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))\": \($0.1)" }
        vocabulary += ["\"he\": 256", "\"ll\": 257", "\"hell\": 258", "\"Ġw\": 259"]
        let merges = [("h", "e"), ("l", "l"), ("he", "ll"), ("Ġ", "w")].map { pair in
            mergesAsPairs ? "[\"\(pair.0)\", \"\(pair.1)\"]" : "\"\(pair.0) \(pair.1)\""
        }
        return """
        {"version": "1.0", "added_tokens": [{"id": 260, "content": "<|endoftext|>", "single_word": false, "lstrip": false,
          "rstrip": false, "normalized": false, "special": true}],
         "normalizer": \(normalizer),
         "pre_tokenizer": {"type": "Sequence", "pretokenizers": [{"type": "Split", "pattern": {"Regex": \(jsonString(PreTokenizer.qwen2Pattern))},
           "behavior": "Isolated", "invert": false}, {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false, "use_regex": false}]},
         "post_processor": \(postProcessor),
         "decoder": {"type": "ByteLevel"},
         "model": {"type": "BPE", "dropout": null, "unk_token": null, "byte_fallback": false, "ignore_merges": false,
           "vocab": {\(vocabulary.joined(separator: ", "))}, "merges": [\(merges.joined(separator: ", "))]}}
        """
    }

    static func jsonString(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    static func tokenizer(_ json: String) throws -> Tokenizer {
        try Tokenizer(json: JSONParser.parse(json), path: "test/tokenizer.json")
    }

    static let template = """
    {"type": "TemplateProcessing", "single": [{"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "<|endoftext|>", "type_id": 0}}],
     "pair": [], "special_tokens": {"<|endoftext|>": {"id": "<|endoftext|>", "ids": [260], "tokens": ["<|endoftext|>"]}}}
    """

    @Test("Given merges stored as \"a b\" strings or as pairs, when encoding, then both give the same ids")
    func mergeForms() throws {
        let strings = try Self.tokenizer(Self.tinyTokenizerJSON(mergesAsPairs: false))
        let pairs = try Self.tokenizer(Self.tinyTokenizerJSON(mergesAsPairs: true))
        #expect(strings.encode("hello world") == [258, 111, 259, 111, 114, 108, 100])
        #expect(pairs.encode("hello world") == strings.encode("hello world"))
        #expect(strings.decode(strings.encode("hello world")) == "hello world")
    }

    @Test("Given a TemplateProcessing post-processor, when special tokens are asked for, then <|endoftext|> is appended once")
    func templateProcessing() throws {
        let tokenizer = try Self.tokenizer(Self.tinyTokenizerJSON(mergesAsPairs: true, postProcessor: Self.template))
        #expect(tokenizer.encode("hello") == [258, 111])
        #expect(tokenizer.encode("hello", addSpecialTokens: true) == [258, 111, 260])
        #expect(tokenizer.postProcessorSuffix == [260])
        let sequence = "{\"type\": \"Sequence\", \"processors\": [{\"type\": \"ByteLevel\"}, \(Self.template)]}"
        let wrapped = try Self.tokenizer(Self.tinyTokenizerJSON(mergesAsPairs: true, postProcessor: sequence))
        #expect(wrapped.encode("hello", addSpecialTokens: true) == [258, 111, 260])
    }

    @Test("Given added tokens in text, when encoding, then they are matched in the raw text before BPE")
    func addedTokensInText() throws {
        let tokenizer = try Self.tokenizer(Self.tinyTokenizerJSON(mergesAsPairs: true))
        #expect(tokenizer.encode("he<|endoftext|>ll") == [256, 260, 257])
        #expect(tokenizer.encode("<|endoftext|") == tokenizer.encode("<|endoftext") + tokenizer.encode("|"))
    }

    @Test("Given an unsupported normalizer, when loading, then the error names it")
    func unsupportedNormalizer() {
        #expect(throws: TokenizerError.unsupported(path: "test/tokenizer.json", component: "normalizer", found: "Lowercase")) {
            try Self.tokenizer(Self.tinyTokenizerJSON(mergesAsPairs: true, normalizer: "{\"type\": \"Lowercase\"}"))
        }
    }

    @Test("Given a different split regex, when loading, then the error quotes the pattern")
    func unsupportedPattern() throws {
        let json = Self.tinyTokenizerJSON(mergesAsPairs: true).replacingOccurrences(of: "\\\\p{N}|", with: "\\\\p{N}{1,3}|")
        do {
            _ = try Self.tokenizer(json)
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("Split pattern"))
            #expect("\(error)".contains("{1,3}"))
        }
    }

    @Test("Given a merge naming a token that does not exist, when loading, then the merge and token are named")
    func unknownMerge() {
        let json = Self.tinyTokenizerJSON(mergesAsPairs: false).replacingOccurrences(of: "\"he ll\"", with: "\"he zz\"")
        #expect(throws: TokenizerError.unknownMergeToken(path: "test/tokenizer.json", mergeIndex: 2, token: "zz")) {
            try Self.tokenizer(json)
        }
    }

    @Test("Given a file that is not JSON, when loading, then line and column are given")
    func invalidJSON() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("qwery-bad-\(UUID().uuidString).json").path
        try "{\n  \"model\": [1, 2,,]\n}".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: TokenizerError.invalidJSON(path: path, line: 2, column: 18, message: "unexpected character ','")) {
            try Tokenizer(contentsOf: path)
        }
    }

    @Test("Given a missing file, when loading, then the path is named")
    func missingFile() {
        #expect(throws: TokenizerError.unreadableFile(path: "/nonexistent/tokenizer.json", reason: "no such file")) {
            try Tokenizer(contentsOf: "/nonexistent/tokenizer.json")
        }
    }
}
