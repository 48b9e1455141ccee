import ArgumentParser
import Foundation
import QweryCore

/// Options shared by every command that runs the Qwen3 engine.
struct EngineOptions: ParsableArguments {
    @Option(name: .long, help: "exact (fp32, matches transformers), fast (bf16 dot products; default where the CPU has AVX512_BF16) or int8 (integer dot products, outlier columns in fp32; looser agreement). Also QWERY_PRECISION.")
    var precision: PrecisionName?

    @Option(name: .customLong("rerank-precision"), help: "Precision of the reranker alone (default: --precision if given, else as embeddings). Also QWERY_RERANK_PRECISION.")
    var rerankPrecision: PrecisionName?

    @Option(name: .customLong("max-tokens"), help: "Longest input in tokens; longer ones are truncated, keeping the final <|endoftext|>.")
    var maximumTokens: Int = Library.defaultMaximumTokens

    /// The names `--precision` takes: those of `Precision` (ArgumentParser needs its own type).
    enum PrecisionName: String, ExpressibleByArgument, CaseIterable {
        case exact, fast, int8

        var precision: Precision { Precision(rawValue: rawValue) ?? .exact }
    }

    func validate() throws {
        try OptionBounds.check("--max-tokens", maximumTokens, in: OptionBounds.maximumTokens)
    }
}
