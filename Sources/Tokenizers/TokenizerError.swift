/// Why a tokenizer could not be loaded or used; every message names the file and what to do.
package enum TokenizerError: Error, Sendable, Equatable {
    case unreadableFile(path: String, reason: String)
    case invalidJSON(path: String, line: Int, column: Int, message: String)
    case missingField(path: String, field: String)
    case invalidField(path: String, field: String, expected: String)
    case unsupported(path: String, component: String, found: String)
    case unknownMergeToken(path: String, mergeIndex: Int, token: String)
    case invalidTemplate(path: String, token: String)
}

extension TokenizerError: CustomStringConvertible {
    package var description: String {
        switch self {
        case .unreadableFile(let path, let reason):
            return "Cannot read the tokenizer file \(path): \(reason)."
        case .invalidJSON(let path, let line, let column, let message):
            return "\(path) is not valid JSON: \(message) at line \(line), column \(column). Re-download the model's tokenizer.json."
        case .missingField(let path, let field):
            return "\(path) has no \"\(field)\"; a Hugging Face tokenizer.json of the Qwen family is expected."
        case .invalidField(let path, let field, let expected):
            return "\(path): \"\(field)\" should be \(expected)."
        case .unsupported(let path, let component, let found):
            return "\(path): \(component) \(found) is not supported; qwery reads Qwen-family byte-level BPE tokenizers (NFC, the Qwen2 split regex, ByteLevel)."
        case .unknownMergeToken(let path, let mergeIndex, let token):
            return "\(path): merge #\(mergeIndex) names \"\(token)\", which is not in the vocabulary."
        case .invalidTemplate(let path, let token):
            return "\(path): the post-processor template uses the special token \"\(token)\", which it does not define."
        }
    }
}
