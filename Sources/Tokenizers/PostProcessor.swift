/// The special tokens a tokenizer.json's post-processor puts around a single sequence.
///
/// Qwen3-Embedding checkpoints since mid-2025 use a `TemplateProcessing` that appends
/// `<|endoftext|>`; older ones have only `ByteLevel`, which adds nothing.
struct PostProcessor: Sendable, Equatable {
    var prefix: [Int] = []
    var suffix: [Int] = []

    /// Reads the `post_processor` field; nil or `ByteLevel` adds nothing.
    init(json: JSONValue?, path: String) throws(TokenizerError) {
        guard let json, !json.isNull else { return }
        try read(json, path: path)
    }

    private mutating func read(_ json: JSONValue, path: String) throws(TokenizerError) {
        guard let type = json["type"]?.stringValue else {
            throw .missingField(path: path, field: "post_processor.type")
        }
        switch type {
        case "ByteLevel":
            return
        case "Sequence":
            for processor in json["processors"]?.arrayValue ?? [] {
                try read(processor, path: path)
            }
        case "TemplateProcessing":
            try readTemplate(json, path: path)
        default:
            throw .unsupported(path: path, component: "post_processor", found: type)
        }
    }

    private mutating func readTemplate(_ json: JSONValue, path: String) throws(TokenizerError) {
        guard let single = json["single"]?.arrayValue else {
            throw .missingField(path: path, field: "post_processor.single")
        }
        let specialTokens = json["special_tokens"]
        var seenSequence = false
        for piece in single {
            if piece["Sequence"] != nil {
                seenSequence = true
            } else if let special = piece["SpecialToken"], let name = special["id"]?.stringValue {
                guard let ids = specialTokens?[name]?["ids"]?.arrayValue?.compactMap(\.intValue) else {
                    throw .invalidTemplate(path: path, token: name)
                }
                if seenSequence { suffix += ids } else { prefix += ids }
            } else {
                throw .invalidField(path: path, field: "post_processor.single", expected: "a list of Sequence and SpecialToken pieces")
            }
        }
    }
}
