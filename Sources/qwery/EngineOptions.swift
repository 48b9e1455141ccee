import ArgumentParser
import Foundation
import Engine
import Synchronization

/// Options shared by every command that runs the Qwen3 engine.
struct EngineOptions: ParsableArguments {
    @Option(name: .long, help: "exact (fp32, matches transformers), fast (bf16 dot products; default where the CPU has AVX512_BF16) or int8 (integer dot products, outlier columns in fp32; looser agreement). Also QWERY_PRECISION.")
    var precision: Precision?

    @Option(name: .customLong("rerank-precision"), help: "Precision of the reranker alone (default: --precision if given, else as embeddings). Also QWERY_RERANK_PRECISION.")
    var rerankPrecision: Precision?

    @Option(name: .customLong("max-tokens"), help: "Longest input in tokens; longer ones are truncated, keeping the final <|endoftext|>.")
    var maximumTokens: Int = Embedder.defaultMaximumTokens

    /// How the engine computes.
    enum Precision: String, ExpressibleByArgument, CaseIterable {
        case exact
        case fast
        case int8
    }

    /// The precision to run: the flag, else QWERY_PRECISION, else the config's `precision`, else what
    /// suits the CPU.
    var resolvedPrecision: Engine.Precision {
        Self.effective(chosenPrecision ?? .automatic)
    }

    /// The reranker's precision: --rerank-precision, else QWERY_RERANK_PRECISION, else the config's
    /// `rerank_precision`, else a precision chosen for everything (flag, environment, config), else the
    /// reranker's default for this CPU (`DefaultPrecision.forReranker`).
    var resolvedRerankPrecision: Engine.Precision {
        Self.effective(chosenRerankPrecision ?? chosenPrecision ?? .automaticForReranker)
    }

    /// The precision that runs for a chosen one, saying on stderr (once) when it differs.
    private static func effective(_ chosen: Engine.Precision) -> Engine.Precision {
        let (precision, note) = chosen.effective
        if let note { warnOnce(note) }
        return precision
    }

    private static let warned = Mutex(false)

    private static func warnOnce(_ note: String) {
        guard warned.withLock({ warned in defer { warned = true }; return !warned }) else { return }
        FileHandle.standardError.write(Data("qwery: \(note).\n".utf8))
    }

    /// --precision, QWERY_PRECISION or the config's `precision`, when one is given.
    var chosenPrecision: Engine.Precision? {
        Self.resolve(precision, environmentKey: "QWERY_PRECISION", configured: \.precision)
    }

    /// --rerank-precision, QWERY_RERANK_PRECISION or the config's `rerank_precision`, when one is given.
    var chosenRerankPrecision: Engine.Precision? {
        Self.resolve(rerankPrecision, environmentKey: "QWERY_RERANK_PRECISION", configured: \.rerankPrecision)
    }

    /// The first of flag, environment variable and config key that names a precision.
    private static func resolve(_ flag: Precision?, environmentKey: String, configured: KeyPath<ConfigFile, String?>) -> Engine.Precision? {
        let candidates = [flag?.rawValue, Environment.value(environmentKey), (try? ConfigFile.load())?[keyPath: configured]]
        return candidates.lazy.compactMap { $0.flatMap(Engine.Precision.init(rawValue:)) }.first
    }

    func validate() throws {
        if maximumTokens < 2 { throw ValidationError("--max-tokens must be at least 2.") }
        for key in ["QWERY_PRECISION", "QWERY_RERANK_PRECISION"] {
            if let value = ProcessInfo.processInfo.environment[key], !value.isEmpty, Precision(rawValue: value) == nil {
                throw ValidationError("\(key)=\(value) is not one of: \(Precision.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
        }
    }
}
