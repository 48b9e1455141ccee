import ArgumentParser
import Foundation
import Engine

/// Options shared by every command that runs the Qwen3 engine.
struct EngineOptions: ParsableArguments {
    @Option(name: .long, help: "Numeric precision: exact (fp32, matches transformers). Also QWERY_PRECISION.")
    var precision: Precision?

    @Option(name: .customLong("max-tokens"), help: "Longest input in tokens; longer ones are truncated, keeping the final <|endoftext|>.")
    var maximumTokens: Int = Embedder.defaultMaximumTokens

    /// How the engine computes.
    enum Precision: String, ExpressibleByArgument, CaseIterable {
        case exact
    }

    func validate() throws {
        if maximumTokens < 2 { throw ValidationError("--max-tokens must be at least 2.") }
        if let value = ProcessInfo.processInfo.environment["QWERY_PRECISION"], Precision(rawValue: value) == nil {
            throw ValidationError("QWERY_PRECISION=\(value) is not one of: \(Precision.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
    }
}
