import Foundation
import Tokenizers

/// How closely each faster precision follows exact on one model's own weights, against what bf16
/// rounding costs on the same texts. Run once per model content (cached), on the user's machine, where
/// the real weights are: the outlier fixtures show that int8's fidelity depends on the checkpoint.
///
/// The bf16 yardstick is exact with every matrix product's inputs and outputs and the residual stream
/// rounded to bf16, as a bf16 model in transformers computes (`Qwen3Model.emulatesBFloat16`). A precision
/// is admitted when its worst cosine against exact over the calibration texts is within twice bf16's
/// (1 − cos ≤ 2 · (1 − cos_bf16)), and, for a reranker, its scores within 0.01 of exact's — or within twice
/// bf16's own difference where bf16 rounding alone moves scores further (the outlier checkpoints: bf16
/// moves outlier-x100's scores by 0.05; "faithful" is "as close to exact as bf16 rounding is").
package struct FidelityCalibration: Codable, Sendable, Equatable {
    /// Worst cosine against exact over the calibration embeddings, by precision name ("bf16" is the yardstick).
    package var worstCosine: [String: Double]
    /// Largest |score − exact score| over the calibration pairs, by precision name (rerankers only).
    package var worstRerankDifference: [String: Double]
    package var texts: Int

    /// The rerank difference a faithful precision may always show.
    package static let rerankBound = 0.01

    /// The rerank difference allowed on this model: 0.01, or twice bf16 rounding's own where that is more.
    package var rerankAllowance: Double {
        max(Self.rerankBound, 2 * (worstRerankDifference["bf16"] ?? 0))
    }

    /// The worst cosine allowed: twice bf16 rounding's distance from exact.
    package var cosineAllowance: Double {
        1 - 2 * (1 - (worstCosine["bf16"] ?? 1))
    }

    /// Whether `precision` meets the rule on this model.
    package func admits(_ precision: Precision) -> Bool {
        if precision == .exact { return true }
        guard let cosine = worstCosine[precision.rawValue], let bf16 = worstCosine["bf16"] else { return false }
        let cosineHolds = 1 - cosine <= 2 * (1 - bf16) + 1e-9
        let rerankHolds = worstRerankDifference[precision.rawValue].map { $0 <= rerankAllowance } ?? true
        return cosineHolds && rerankHolds
    }

    /// The cached figures for this model's content, or new ones.
    package static func figures(folder: String, tokenizer: Tokenizer, candidates: [Precision], isReranker: Bool, version: String,
                               cache: CalibrationCache, announce: (String) -> Void) throws -> FidelityCalibration {
        let key = [try ModelContentHash.compute(folder: folder), "qwery " + version, isReranker ? "reranker" : "embedding"]
            + candidates.map(\.rawValue)
        if let cached = cache.load(FidelityCalibration.self, kind: "fidelity", key: key) { return cached }
        announce("checking that the faster precisions stay faithful to this model's weights (once per model):")
        let figures = try measure(folder: folder, tokenizer: tokenizer, candidates: candidates, isReranker: isReranker)
        cache.store(figures, kind: "fidelity", key: key)
        return figures
    }

    /// About how long `measure` takes, from this CPU's measured speed of each precision (`SpeedCalibration`, a two-layer
    /// model of the same width) scaled to the model's layers: the calibration texts through exact, bf16 and each
    /// candidate (twice for a reranker: its prompts too), plus a second per model loaded.
    package static func estimatedSeconds(configuration: Qwen3Configuration, tokenizer: Tokenizer, candidates: [Precision],
                                        isReranker: Bool, speed: SpeedCalibration) -> Double {
        let tokens = (CalibrationTexts.documents + CalibrationTexts.queries).reduce(0) { $0 + tokenizer.encode($1).count + 12 }
        let layersScale = Double(configuration.layerCount) / 2
        let models: [Precision] = [.exact, .exact] + candidates.filter { $0 != .exact }
        let compute = models.reduce(0.0) { total, precision in
            let rate = speed.documentsPerSecond[precision.rawValue] ?? speed.documentsPerSecond[Precision.exact.rawValue] ?? 0
            return rate > 0 ? total + Double(tokens) * layersScale / rate : total
        }
        return compute * (isReranker ? 2 : 1) + Double(models.count)
    }

    /// "about 20 s" (rounded to 5 s past ten seconds), for the line said before measuring.
    package static func describe(seconds: Double) -> String {
        if seconds < 10 { return "about \(max(1, Int(seconds.rounded()))) s" }
        return "about \(Int((seconds / 5).rounded()) * 5) s"
    }

    static func measure(folder: String, tokenizer: Tokenizer, candidates: [Precision], isReranker: Bool) throws -> FidelityCalibration {
        let exact = try Qwen3Model(folder: folder, precision: .exact)
        let bf16 = try Qwen3Model(folder: folder, precision: .exact, emulatesBFloat16: true)
        var figures = FidelityCalibration(worstCosine: [:], worstRerankDifference: [:], texts: 0)
        let embedder = Embedder(model: exact, tokenizer: tokenizer, maximumTokens: 512)
        let ids = CalibrationTexts.documents.map(embedder.inputIds)
            + CalibrationTexts.queries.map { embedder.inputIds(Embedder.queryText(instruction: CalibrationTexts.instruction, query: $0)) }
        figures.texts = ids.count
        let reference = try Embedder(model: exact, tokenizer: tokenizer).embed(ids: ids)
        var prompts: [[Int]] = []
        var referenceScores: [Float] = []
        if isReranker, exact.hasLanguageModelHead {
            let reranker = try Reranker(model: exact, tokenizer: tokenizer, maximumTokens: 1024)
            prompts = CalibrationTexts.rerankPairs.map {
                reranker.promptIds(query: CalibrationTexts.queries[$0.query], document: CalibrationTexts.documents[$0.document])
            }
            referenceScores = try reranker.scores(promptIds: prompts)
        }
        // One candidate model at a time: a packed or quantized copy of an 8B model is 8–16 GB on its own.
        let others: [(String, () throws -> Qwen3Model)] = [("bf16", { bf16 })]
            + candidates.filter { $0 != .exact }.map { precision in (precision.rawValue, { try Qwen3Model(folder: folder, precision: precision) }) }
        for (name, load) in others {
            let model = try load()
            let vectors = try Embedder(model: model, tokenizer: tokenizer).embed(ids: ids)
            figures.worstCosine[name] = zip(vectors, reference).map { cosine($0, $1) }.min() ?? 1
            if !prompts.isEmpty {
                let scores = try Reranker(model: model, tokenizer: tokenizer, maximumTokens: 1024).scores(promptIds: prompts)
                figures.worstRerankDifference[name] = zip(scores, referenceScores).map { Double(abs($0 - $1)) }.max() ?? 0
            }
        }
        return figures
    }

    static func cosine(_ a: [Float], _ b: [Float]) -> Double {
        var dot = 0.0, normA = 0.0, normB = 0.0
        for (x, y) in zip(a, b) {
            dot += Double(x) * Double(y)
            normA += Double(x) * Double(x)
            normB += Double(y) * Double(y)
        }
        return dot / max(1e-30, (normA * normB).squareRoot())
    }
}
