/// Why a model could not be loaded or run; messages name the file and tensor at fault.
package enum EngineError: Error, Sendable, Equatable {
    case missingFile(path: String, hint: String)
    case unreadableFile(path: String, reason: String)
    case invalidConfiguration(path: String, message: String)
    case unsupportedConfiguration(path: String, field: String, found: String)
    case invalidSafetensors(path: String, message: String)
    case truncatedTensor(path: String, tensor: String, expectedEnd: Int, fileSize: Int)
    case missingTensor(folder: String, tensor: String)
    case wrongShape(path: String, tensor: String, expected: [Int], found: [Int])
    case unsupportedDataType(path: String, tensor: String, dataType: String)
    case tokenOutOfRange(folder: String, tokenId: Int, vocabularySize: Int)
    case missingLanguageModelHead(folder: String)
    case emptyInput
    case missingLibrary(name: String, reason: String)
    case cancelled
}

extension EngineError: CustomStringConvertible {
    package var description: String {
        switch self {
        case .missingFile(let path, let hint):
            return "Missing \(path). \(hint)"
        case .unreadableFile(let path, let reason):
            return "Cannot read \(path): \(reason)."
        case .invalidConfiguration(let path, let message):
            return "\(path): \(message)."
        case .unsupportedConfiguration(let path, let field, let found):
            return "\(path): \(field) = \(found) is not supported; qwery runs Qwen3 dense models (Qwen3-Embedding, Qwen3-Reranker)."
        case .invalidSafetensors(let path, let message):
            return "\(path) is not a valid safetensors file: \(message). Re-download the checkpoint."
        case .truncatedTensor(let path, let tensor, let expectedEnd, let fileSize):
            return "\(path) is truncated: tensor \(tensor) ends at byte \(expectedEnd) but the file has \(fileSize) bytes. Re-download the checkpoint."
        case .missingTensor(let folder, let tensor):
            return "\(folder): the checkpoint has no tensor \(tensor) (looked for it with and without the \"model.\" prefix)."
        case .wrongShape(let path, let tensor, let expected, let found):
            return "\(path): tensor \(tensor) has shape \(found), but config.json implies \(expected)."
        case .unsupportedDataType(let path, let tensor, let dataType):
            return "\(path): tensor \(tensor) is stored as \(dataType); qwery reads BF16, F16 and F32."
        case .tokenOutOfRange(let folder, let tokenId, let vocabularySize):
            return "Token id \(tokenId) has no embedding row in \(folder): its vocabulary has \(vocabularySize) rows, so the tokenizer.json there belongs to another model. Put the model's own tokenizer.json in that folder."
        case .missingLanguageModelHead(let folder):
            return "\(folder) has neither lm_head.weight nor tied embeddings, so it cannot score reranking prompts. Use a Qwen3-Reranker checkpoint."
        case .emptyInput:
            return "Nothing to encode: the input has no tokens."
        case .missingLibrary(let name, let reason):
            return "The engine needs \(name) and \(reason). Install it (dev.sh names the Debian packages) and run qwery again."
        case .cancelled:
            return "The computation was cancelled."
        }
    }
}
