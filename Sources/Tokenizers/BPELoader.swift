/// Reads the `model` section of tokenizer.json (type BPE) into raw-byte tables.
enum BPELoader {
    struct Loaded {
        let encoder: BytePairEncoder
        let vocabulary: ByteSequenceTable
        let tokens: [(bytes: [UInt8], id: Int)]
        let largestId: Int
        let ignoresMerges: Bool
    }

    static func load(model: JSONValue, path: String) throws(TokenizerError) -> Loaded {
        guard model["type"]?.stringValue ?? "BPE" == "BPE" else {
            throw .unsupported(path: path, component: "model", found: model["type"]?.stringValue ?? "")
        }
        if let dropout = model["dropout"]?.doubleValue, dropout > 0 {
            throw .unsupported(path: path, component: "BPE", found: "with dropout \(dropout)")
        }
        if model["byte_fallback"]?.boolValue == true {
            throw .unsupported(path: path, component: "BPE", found: "with byte_fallback (a SentencePiece-style vocabulary)")
        }
        for field in ["continuing_subword_prefix", "end_of_word_suffix"] {
            if let value = model[field]?.stringValue, !value.isEmpty {
                throw .unsupported(path: path, component: "BPE", found: "with \(field) \"\(value)\"")
            }
        }
        guard let vocabularyJSON = model["vocab"]?.objectValue else {
            throw .missingField(path: path, field: "model.vocab")
        }
        guard let mergesJSON = model["merges"]?.arrayValue else {
            throw .missingField(path: path, field: "model.merges")
        }

        var vocabulary = ByteSequenceTable(expectedCount: vocabularyJSON.count)
        var tokens: [(bytes: [UInt8], id: Int)] = []
        tokens.reserveCapacity(vocabularyJSON.count)
        var largestId = -1
        var bytes: [UInt8] = []
        for (key, value) in vocabularyJSON {
            guard let id = value.intValue, id >= 0, id < Int(Int32.max) else {
                throw .invalidField(path: path, field: "model.vocab[\"\(key)\"]", expected: "a non-negative token id")
            }
            bytes.removeAll(keepingCapacity: true)
            guard ByteEncoder.decode(key, into: &bytes) else {
                throw .unsupported(path: path, component: "vocabulary entry", found: "\"\(key)\" (not in the byte-level alphabet)")
            }
            bytes.withUnsafeBufferPointer { _ = vocabulary.insert($0, value: Int32(id)) }
            tokens.append((bytes, id))
            largestId = max(largestId, id)
        }

        var byteTokens = [UInt32](repeating: 0, count: 256)
        for byte in 0..<256 {
            guard let id = vocabulary.value(for: [UInt8(byte)]) else {
                throw .unsupported(path: path, component: "vocabulary", found: "without a token for byte 0x\(String(byte, radix: 16))")
            }
            byteTokens[byte] = UInt32(id)
        }

        var merges = MergeTable(capacityFor: mergesJSON.count)
        var left: [UInt8] = []
        var right: [UInt8] = []
        for (rank, entry) in mergesJSON.enumerated() {
            let pair: (String, String)
            if let text = entry.stringValue, let space = text.firstIndex(of: " ") {
                pair = (String(text[..<space]), String(text[text.index(after: space)...]))
            } else if let array = entry.arrayValue, array.count == 2, let first = array[0].stringValue, let second = array[1].stringValue {
                pair = (first, second)
            } else {
                throw .invalidField(path: path, field: "model.merges[\(rank)]", expected: "\"a b\" or [\"a\", \"b\"]")
            }
            left.removeAll(keepingCapacity: true)
            right.removeAll(keepingCapacity: true)
            guard ByteEncoder.decode(pair.0, into: &left), let leftId = vocabulary.value(for: left) else {
                throw .unknownMergeToken(path: path, mergeIndex: rank, token: pair.0)
            }
            guard ByteEncoder.decode(pair.1, into: &right), let rightId = vocabulary.value(for: right) else {
                throw .unknownMergeToken(path: path, mergeIndex: rank, token: pair.1)
            }
            guard let mergedId = vocabulary.value(for: left + right) else {
                throw .unknownMergeToken(path: path, mergeIndex: rank, token: pair.0 + pair.1)
            }
            merges.insert(left: UInt32(leftId), right: UInt32(rightId), rank: UInt32(rank), merged: UInt32(mergedId))
        }
        return Loaded(
            encoder: BytePairEncoder(byteTokens: byteTokens, merges: merges),
            vocabulary: vocabulary,
            tokens: tokens,
            largestId: largestId,
            ignoresMerges: model["ignore_merges"]?.boolValue ?? false
        )
    }
}
