import Engine
import Foundation

/// `qwery bench` on the engine: a random-weight checkpoint of a published Qwen3-Embedding shape (written to the
/// cache once; compute does not depend on the weight values), the precision measured for this CPU unless
/// chosen, then `BenchRunner`'s figures.
package struct ModelBench {
    /// `0.6B`, `4B` or `8B`.
    package var shape: String
    /// Where the checkpoint lives (default: `$XDG_CACHE_HOME/qwery/bench/<shape>-random`).
    package var folder: String?
    package var repeats = 3
    /// nil: measured for this CPU and the bench model, as for a real one.
    package var precision: Precision?
    package var rerankPrecision: Precision?
    package var rerankPrecisionChosen = false
    package var whileIndexingOnly = false
    /// With exact: weights widened to fp32 at load (twice the memory) instead of tile by tile.
    package var fp32Weights = false

    package init(shape: String) { self.shape = shape }

    /// The checkpoint's folder, written first (with `tokenizer`) when it is not there.
    package func checkpoint(tokenizer: () throws -> String, announce: (String) -> Void) throws -> String {
        guard let modelShape = ModelShape.all.first(where: { $0.name.hasSuffix("-" + shape) }) else {
            throw BenchError.unknownShape(shape)
        }
        let folder = folder ?? Self.defaultFolder(for: modelShape)
        if !FileManager.default.fileExists(atPath: folder + "/model.safetensors") {
            announce("writing a random \(modelShape.name) checkpoint to \(folder)…")
            try RandomCheckpoint.write(shape: modelShape, to: folder, tokenizer: try tokenizer())
        }
        return folder
    }

    /// Measures the precisions not chosen (each choice and the figures behind it go to `chose`), then runs.
    package func run(folder: String, announce: @escaping (String) -> Void, chose: (String) -> Void) throws -> BenchRunner.Report {
        var precision = self.precision
        if precision == nil {
            let choice = try PrecisionChoice.measured(folder: folder, isReranker: false, announce: announce)
            chose("precision \(choice.precision.rawValue) — \(choice.reason)")
            precision = choice.precision
        }
        var rerankPrecision = self.rerankPrecision
        if !rerankPrecisionChosen {
            let choice = try PrecisionChoice.measured(folder: folder, isReranker: true, announce: announce)
            chose("rerank_precision \(choice.precision.rawValue) — \(choice.reason)")
            rerankPrecision = choice.precision
        }
        var runner = BenchRunner(folder: folder, repeats: max(1, repeats), precision: precision ?? .exact, rerankPrecision: rerankPrecision)
        runner.whileIndexingOnly = whileIndexingOnly
        runner.conversion = fp32Weights ? .atLoad : .automatic
        return try runner.run()
    }

    static func defaultFolder(for shape: ModelShape) -> String {
        let cache = ProcessInfo.processInfo.environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? NSHomeDirectory() + "/.cache"
        return cache + "/qwery/bench/\(shape.name)-random"
    }
}

/// A bench asked for something that does not exist.
package enum BenchError: Error, Equatable, CustomStringConvertible {
    case unknownShape(String)
    /// The synthetic index could not register the model (it was opened read-only).
    case modelNotRegistered(String)

    package var description: String {
        switch self {
        case .unknownShape(let shape): return "--shape must be one of 0.6B, 4B, 8B (got \(shape))."
        case .modelNotRegistered(let path): return "the bench index \(path) could not register the model: is it writable?"
        }
    }
}
