import Foundation

/// A Qwen-family byte-level BPE tokenizer read from a Hugging Face `tokenizer.json`.
///
/// Pipeline, as in the reference: added tokens are cut out of the raw text, the rest is NFC-normalized,
/// split by the Qwen2 regex, and each piece is byte-pair encoded. Immutable after loading, so one
/// instance serves every thread.
package final class Tokenizer: Sendable {
    /// Where the tokenizer was loaded from, for messages.
    package let path: String
    /// One more than the largest token id (vocabulary and added tokens).
    package let vocabularySize: Int
    package let addedTokens: [AddedToken]

    let normalizer: Normalizer
    let encoder: BytePairEncoder
    let postProcessor: PostProcessor
    let rawMatcher: AddedTokenMatcher
    let normalizedMatcher: AddedTokenMatcher
    /// With `ignore_merges`, a piece that is itself in the vocabulary becomes that token directly.
    let wholeWordVocabulary: ByteSequenceTable?
    let decodeArena: [UInt8]
    let decodeStarts: [Int32]

    /// Loads `tokenizer.json` from a file path.
    package convenience init(contentsOf path: String) throws(TokenizerError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "permission denied or not a regular file" : "no such file"
            throw .unreadableFile(path: path, reason: reason)
        }
        let result: Result<JSONValue, JSONParser.SyntaxError> = data.withUnsafeBytes { raw in
            do throws(JSONParser.SyntaxError) {
                return .success(try JSONParser.parse(raw.bindMemory(to: UInt8.self)))
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .success(let json): try self.init(json: json, path: path)
        case .failure(let error): throw .invalidJSON(path: path, line: error.line, column: error.column, message: error.message)
        }
    }

    /// Builds a tokenizer from parsed tokenizer.json contents; `path` is used in error messages.
    package init(json: JSONValue, path: String) throws(TokenizerError) {
        self.path = path
        normalizer = try Normalizer(json: json["normalizer"], path: path)
        try Self.checkPreTokenizer(json["pre_tokenizer"], path: path)
        postProcessor = try PostProcessor(json: json["post_processor"], path: path)
        guard let model = json["model"] else { throw .missingField(path: path, field: "model") }
        let loaded = try BPELoader.load(model: model, path: path)
        encoder = loaded.encoder
        wholeWordVocabulary = loaded.ignoresMerges ? loaded.vocabulary : nil

        addedTokens = try Self.readAddedTokens(json["added_tokens"], path: path)
        rawMatcher = AddedTokenMatcher(tokens: addedTokens.filter { !$0.isNormalized })
        normalizedMatcher = AddedTokenMatcher(tokens: addedTokens.filter { $0.isNormalized })

        // Token id → bytes, for decoding.
        let largestId = max(loaded.largestId, addedTokens.map(\.id).max() ?? -1)
        vocabularySize = largestId + 1
        var pieces = [[UInt8]?](repeating: nil, count: vocabularySize)
        for (bytes, id) in loaded.tokens { pieces[id] = bytes }
        for token in addedTokens { pieces[token.id] = Array(token.content.utf8) }
        var arena: [UInt8] = []
        var starts: [Int32] = [0]
        starts.reserveCapacity(vocabularySize + 1)
        for piece in pieces {
            if let piece { arena.append(contentsOf: piece) }
            starts.append(Int32(arena.count))
        }
        decodeArena = arena
        decodeStarts = starts
    }

    // MARK: - Encoding

    /// The token ids of `text`. With `addSpecialTokens`, the post-processor's template is applied
    /// (current Qwen3-Embedding files append `<|endoftext|>` this way).
    package func encode(_ text: String, addSpecialTokens: Bool = false) -> [Int] {
        var ids: [Int] = []
        ids.reserveCapacity(text.utf8.count / 3 + 4)
        if addSpecialTokens { ids += postProcessor.prefix }
        var text = text
        text.withUTF8 { utf8 in
            if rawMatcher.isEmpty {
                encodeNormalizing(utf8, into: &ids)
                return
            }
            for segment in rawMatcher.split(utf8) {
                switch segment {
                case .token(let id): ids.append(id)
                case .text(let range): encodeNormalizing(UnsafeBufferPointer(rebasing: utf8[range]), into: &ids)
                }
            }
        }
        if addSpecialTokens { ids += postProcessor.suffix }
        return ids
    }

    /// The ids of the special tokens the post-processor adds after a single sequence.
    package var postProcessorSuffix: [Int] { postProcessor.suffix }

    /// The id of an added token or vocabulary entry spelled exactly `content`, if there is one.
    package func tokenId(for content: String) -> Int? {
        if let added = addedTokens.first(where: { $0.content == content }) { return added.id }
        let ids = encode(content)
        return ids.count == 1 ? ids[0] : nil
    }

    private func encodeNormalizing(_ raw: UnsafeBufferPointer<UInt8>, into ids: inout [Int]) {
        var normalized = normalizer.apply(String(decoding: raw, as: UTF8.self))
        normalized.withUTF8 { utf8 in
            if normalizedMatcher.isEmpty {
                encodePieces(utf8, into: &ids)
                return
            }
            for segment in normalizedMatcher.split(utf8) {
                switch segment {
                case .token(let id): ids.append(id)
                case .text(let range): encodePieces(UnsafeBufferPointer(rebasing: utf8[range]), into: &ids)
                }
            }
        }
    }

    private func encodePieces(_ utf8: UnsafeBufferPointer<UInt8>, into ids: inout [Int]) {
        PreTokenizer.forEachPiece(in: utf8) { range in
            let piece = UnsafeBufferPointer(rebasing: utf8[range])
            if let wholeWordVocabulary, let id = wholeWordVocabulary.value(for: piece) {
                ids.append(Int(id))
            } else {
                encoder.encode(piece, into: &ids)
            }
        }
    }

    // MARK: - Decoding

    /// The text of `ids`, special tokens included; byte sequences that are not valid UTF-8 become U+FFFD.
    /// Ids outside the vocabulary are skipped.
    package func decode(_ ids: [Int]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ids.count * 4)
        decodeArena.withUnsafeBufferPointer { arena in
            for id in ids where id >= 0 && id < vocabularySize {
                let start = Int(decodeStarts[id])
                let end = Int(decodeStarts[id + 1])
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: arena[start..<end]))
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: - Loading helpers

    private static func checkPreTokenizer(_ json: JSONValue?, path: String) throws(TokenizerError) {
        guard let json, let type = json["type"]?.stringValue else {
            throw .missingField(path: path, field: "pre_tokenizer")
        }
        let steps = type == "Sequence" ? (json["pretokenizers"]?.arrayValue ?? []) : [json]
        var sawSplit = false
        for step in steps {
            switch step["type"]?.stringValue {
            case "Split":
                let pattern = step["pattern"]?["Regex"]?.stringValue ?? step["pattern"]?["String"]?.stringValue ?? ""
                guard pattern == PreTokenizer.qwen2Pattern else {
                    throw .unsupported(path: path, component: "Split pattern", found: "\"\(pattern)\"")
                }
                guard step["behavior"]?.stringValue == "Isolated", step["invert"]?.boolValue != true else {
                    throw .unsupported(path: path, component: "Split behavior", found: step["behavior"]?.stringValue ?? "(missing)")
                }
                sawSplit = true
            case "ByteLevel":
                if step["use_regex"]?.boolValue != false {
                    throw .unsupported(path: path, component: "pre_tokenizer", found: "ByteLevel with its own GPT-2 regex")
                }
                if step["add_prefix_space"]?.boolValue == true {
                    throw .unsupported(path: path, component: "pre_tokenizer", found: "ByteLevel with add_prefix_space")
                }
            case let other:
                throw .unsupported(path: path, component: "pre_tokenizer", found: other ?? "without a type")
            }
        }
        if !sawSplit {
            throw .unsupported(path: path, component: "pre_tokenizer", found: "without the Qwen2 Split step")
        }
    }

    private static func readAddedTokens(_ json: JSONValue?, path: String) throws(TokenizerError) -> [AddedToken] {
        var tokens: [AddedToken] = []
        for (index, entry) in (json?.arrayValue ?? []).enumerated() {
            guard let id = entry["id"]?.intValue, id >= 0, let content = entry["content"]?.stringValue, !content.isEmpty else {
                throw .invalidField(path: path, field: "added_tokens[\(index)]", expected: "an object with an id and a non-empty content")
            }
            if entry["single_word"]?.boolValue == true {
                throw .unsupported(path: path, component: "added token \"\(content)\"", found: "with single_word")
            }
            tokens.append(AddedToken(
                id: id,
                content: content,
                isSpecial: entry["special"]?.boolValue ?? false,
                isNormalized: entry["normalized"]?.boolValue ?? !(entry["special"]?.boolValue ?? false),
                stripsLeft: entry["lstrip"]?.boolValue ?? false,
                stripsRight: entry["rstrip"]?.boolValue ?? false
            ))
        }
        return tokens
    }
}
