import ArgumentParser
import Foundation
import QweryCore

/// `--model` / `--reranker`: which checkpoints to use. Resolved with everything else by `Settings`
/// (flags, then QWERY_MODEL / QWERY_RERANKER, then the config file, then what `ModelLocator` finds).
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: "Qwen3-Embedding model folder (or QWERY_MODEL).")
    var model: String?

    @Option(name: .long, help: "Qwen3-Reranker model folder (or QWERY_RERANKER).")
    var reranker: String?

    init() {}

    /// Options naming the model folders directly (`qwery embed --model`, `qwery rerank --model`).
    init(model: String? = nil, reranker: String? = nil) {
        self.model = model
        self.reranker = reranker
    }

    /// A tokenizer file for `qwery bench`'s checkpoint, which needs a real one.
    static func bundledTokenizerHint() throws -> String {
        guard let path = Library.bundledTokenizerPath() else {
            throw ValidationError("No tokenizer.json at hand: pass --tokenizer PATH (a Qwen3 tokenizer.json) or set QWERY_TOKENIZER.")
        }
        return path
    }
}
