import Foundation
import Testing
import Tokenizers
@testable import Engine

/// Current Qwen3-Embedding tokenizer.json files append `<|endoftext|>` in a post-processor, older
/// ones do not; inputs must end with exactly one either way.
@Suite("One <|endoftext|> per input")
struct EndOfTextTests {
    static let templatePostProcessor = """
    "post_processor": {"type": "TemplateProcessing", "single": [{"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "<|endoftext|>", "type_id": 0}}], "pair": [{"Sequence": {"id": "A", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}}, {"SpecialToken": {"id": "<|endoftext|>", "type_id": 1}}], "special_tokens": {"<|endoftext|>": {"id": "<|endoftext|>", "ids": [151643], "tokens": ["<|endoftext|>"]}}}
    """

    /// The Qwen3 tokenizer with the TemplateProcessing post-processor of current checkpoints.
    static func templateTokenizer() throws -> Tokenizer {
        let path = ModelFixtures.root + "/tokenizer/qwen3-tokenizer.json"
        let original = try String(contentsOfFile: path, encoding: .utf8)
        let byteLevel = "\"post_processor\": {\"type\": \"ByteLevel\", \"add_prefix_space\": false, \"trim_offsets\": false, \"use_regex\": false}"
        #expect(original.contains(byteLevel))
        let variant = original.replacingOccurrences(of: byteLevel, with: templatePostProcessor)
        return try Tokenizer(json: JSONParser.parse(variant), path: "variant/tokenizer.json")
    }

    @Test("Given a tokenizer whose post-processor appends <|endoftext|>, when preparing inputs, then ids equal the reference's")
    func templateTokenizerGivesSameIds() throws {
        let model = try #require(ModelFixtures.embedders["tiny-embedding"]).model
        let tokenizer = try Self.templateTokenizer()
        #expect(tokenizer.postProcessorSuffix == [151643])
        let embedder = Embedder(model: model, tokenizer: tokenizer)
        for document in try ModelFixtures.expected("tiny-embedding").documents {
            #expect(embedder.inputIds(document.text) == document.ids)
        }
    }

    @Test("Given text that already ends with <|endoftext|>, when preparing inputs, then only one remains", arguments: [false, true])
    func neverTwo(template: Bool) throws {
        let fixture = try #require(ModelFixtures.embedders["tiny-embedding"])
        let tokenizer = template ? try Self.templateTokenizer() : fixture.tokenizer
        let embedder = Embedder(model: fixture.model, tokenizer: tokenizer)
        let ids = embedder.inputIds("notes<|endoftext|>")
        #expect(ids == tokenizer.encode("notes") + [151643])
    }
}
