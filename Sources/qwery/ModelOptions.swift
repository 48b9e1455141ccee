import ArgumentParser
import Foundation

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
        guard FileManager.default.fileExists(atPath: expanded + "/config.json") else {
            throw ValidationError("The \(what) folder \(path) has no config.json.")
        }
        return expanded
    }

    /// Without a model, chunk sizes are still counted with the Qwen3 tokenizer: the one next to the
    /// binary's repository, or QWERY_TOKENIZER.
    static func bundledTokenizerHint() throws -> String {
        if let path = ProcessInfo.processInfo.environment["QWERY_TOKENIZER"], !path.isEmpty { return path }
        let candidates = [
            FileManager.default.currentDirectoryPath + "/Tests/Fixtures/tokenizer/qwen3-tokenizer.json",
            (CommandLine.arguments[0] as NSString).deletingLastPathComponent + "/../../Tests/Fixtures/tokenizer/qwen3-tokenizer.json",
        ]
        for candidate in candidates where FileManager.default.fileExists(atPath: candidate) { return candidate }
        throw ValidationError("No tokenizer to size chunks with: pass --model DIR (a Qwen3-Embedding folder) or set QWERY_TOKENIZER to a Qwen3 tokenizer.json.")
    }
}
