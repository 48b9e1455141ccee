import ArgumentParser
import Foundation
import Engine

/// Options shared by every command that runs the Qwen3 engine.
struct EngineOptions: ParsableArguments {
    @Option(name: .long, help: "exact (fp32, matches transformers), fast (bf16 dot products; default where the CPU has AVX512_BF16) or int8 (VNNI; looser agreement). Also QWERY_PRECISION.")
    var precision: Precision?

    @Option(name: .customLong("max-tokens"), help: "Longest input in tokens; longer ones are truncated, keeping the final <|endoftext|>.")
    var maximumTokens: Int = Embedder.defaultMaximumTokens

    /// How the engine computes.
    enum Precision: String, ExpressibleByArgument, CaseIterable {
        case exact
        case fast
        case int8
    }

    /// The precision to run: the flag, else QWERY_PRECISION, else what suits the CPU.
    var resolvedPrecision: Engine.Precision {
        if let precision { return Engine.Precision(rawValue: precision.rawValue) ?? .automatic }
        if let value = ProcessInfo.processInfo.environment["QWERY_PRECISION"], let precision = Engine.Precision(rawValue: value) {
            return precision
        }
        if let value = (try? ConfigFile.load())?.precision, let precision = Engine.Precision(rawValue: value) {
            return precision
        }
        return .automatic
    }

    func validate() throws {
        if maximumTokens < 2 { throw ValidationError("--max-tokens must be at least 2.") }
        if let value = ProcessInfo.processInfo.environment["QWERY_PRECISION"], Precision(rawValue: value) == nil {
            throw ValidationError("QWERY_PRECISION=\(value) is not one of: \(Precision.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
    }
}
