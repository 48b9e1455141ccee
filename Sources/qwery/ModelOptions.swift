import ArgumentParser
import Foundation
import Tokenizers

/// `--model` / `--reranker`: which checkpoints to use (flags, then QWERY_MODEL / QWERY_RERANKER, then the
/// config file, then what `ModelLocator` finds on disk).
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: "Qwen3-Embedding model folder (or QWERY_MODEL).")
    var model: String?

    @Option(name: .long, help: "Qwen3-Reranker model folder (or QWERY_RERANKER).")
    var reranker: String?

    /// The embedding model: --model, QWERY_MODEL, else one found in the Hugging Face cache or qwery's
    /// models folder; nil when there is none.
    func embeddingFolder() throws -> String? {
        let configured = try model ?? Environment.value("QWERY_MODEL") ?? ConfigFile.load().model
        if let folder = try Self.folder(configured, what: "embedding model") { return folder }
        return ModelLocator.first(.embedding)?.folder
    }

    /// The reranker, resolved like the embedding model.
    func rerankerFolder() throws -> String? {
        let configured = try reranker ?? Environment.value("QWERY_RERANKER") ?? ConfigFile.load().reranker
        if let folder = try Self.folder(configured, what: "reranker") { return folder }
        return ModelLocator.first(.reranker)?.folder
    }

    private static func folder(_ path: String?, what: String) throws -> String? {
        guard let path, !path.isEmpty else { return nil }
        let expanded = (path as NSString).expandingTildeInPath
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: expanded, isDirectory: &isFolder) else {
            throw ValidationError("The \(what) folder \(path) does not exist. Name a model folder (with config.json, tokenizer.json and *.safetensors), or see `qwery models`.")
        }
        guard isFolder.boolValue else {
            throw ValidationError("The \(what) \(path) is a file; name the model's folder (the one holding config.json).")
        }
        guard FileManager.default.fileExists(atPath: expanded + "/config.json") else {
            throw ValidationError("The \(what) folder \(path) has no config.json: it is not a Hugging Face model folder.")
        }
        return expanded
    }

    /// Without a model, chunk sizes are still counted with the Qwen3 tokenizer when one is at hand (see
    /// `bundledTokenizerPath`). Nil when there is none: chunk sizes are then estimated
    /// (`Chunker.estimatedTokenCount`) and lexical indexing works all the same.
    static func bundledTokenizer() throws -> Tokenizer? {
        try bundledTokenizerPath().map(TokenizerLocation.load)
    }

    /// A tokenizer file for `qwery bench`'s checkpoint, which needs a real one.
    static func bundledTokenizerHint() throws -> String {
        guard let path = bundledTokenizerPath() else {
            throw ValidationError("No tokenizer.json at hand: pass --tokenizer PATH (a Qwen3 tokenizer.json) or set QWERY_TOKENIZER.")
        }
        return path
    }

    /// QWERY_TOKENIZER, else the Qwen3 tokenizer of the repository the binary was built in.
    private static func bundledTokenizerPath() -> String? {
        if let path = ProcessInfo.processInfo.environment["QWERY_TOKENIZER"], !path.isEmpty { return path }
        let candidates = [
            FileManager.default.currentDirectoryPath + "/Tests/Fixtures/tokenizer/qwen3-tokenizer.json",
            (CommandLine.arguments[0] as NSString).deletingLastPathComponent + "/../../Tests/Fixtures/tokenizer/qwen3-tokenizer.json",
        ]
        return candidates.first(where: FileManager.default.fileExists)
    }
}
