import Foundation
import Tokenizers

/// qwery's version: calibration results are cached per version, so a new kernel is measured again.
package enum QweryVersion {
    package static let current = "0.3.0"
}

/// A model's default precision, decided by measurement on this machine: the fastest precision that is
/// faster than exact on this CPU (`SpeedCalibration`) and faithful on this model's weights
/// (`FidelityCalibration`); exact when none is. A precision that loses to exact is never chosen, and
/// fidelity is measured only for precisions that win on speed.
package struct PrecisionChoice: Sendable, Equatable {
    package let precision: Precision
    /// The figures behind the choice, as a sentence (`qwery config`, `qwery bench`).
    package let reason: String

    package static func measured(folder: String, isReranker: Bool, cache: CalibrationCache = CalibrationCache(),
                                announce: (String) -> Void) throws -> PrecisionChoice {
        let configuration = try Qwen3Configuration(contentsOf: folder + "/config.json")
        let speed = try SpeedCalibration.figures(for: configuration, version: QweryVersion.current, cache: cache, announce: announce)
        let faster = Precision.runnableHere.filter { $0 != .exact && speed.speedup($0) > 1 }
            .sorted { speed.speedup($0) > speed.speedup($1) }
        let losers = Precision.runnableHere.filter { $0 != .exact && speed.speedup($0) <= 1 }
            .map { "\($0.rawValue) \(format(speed.speedup($0)))× exact" }
        guard !faster.isEmpty else {
            let others = losers.isEmpty ? "" : " (\(losers.joined(separator: ", ")))"
            return PrecisionChoice(precision: .exact, reason: "measured: no precision is faster than exact on this CPU\(others)")
        }
        let tokenizer = try Tokenizer(contentsOf: folder + "/tokenizer.json")
        let fidelity = try FidelityCalibration.figures(folder: folder, tokenizer: tokenizer, candidates: faster, isReranker: isReranker,
                                                       version: QweryVersion.current, cache: cache) { line in
            let seconds = FidelityCalibration.estimatedSeconds(configuration: configuration, tokenizer: tokenizer, candidates: faster,
                                                               isReranker: isReranker, speed: speed)
            announce(line + " " + FidelityCalibration.describe(seconds: seconds))
        }
        let bound = fidelity.cosineAllowance
        let rerankBound = fidelity.worstRerankDifference.isEmpty ? "" : " / \(format(fidelity.rerankAllowance, digits: 3))"
        var refused: [String] = []
        for candidate in faster {
            let cosine = fidelity.worstCosine[candidate.rawValue] ?? 0
            let rerank = fidelity.worstRerankDifference[candidate.rawValue].map { ", rerank scores within \(format($0, digits: 4))" } ?? ""
            if fidelity.admits(candidate) {
                let passedOver = refused.isEmpty ? "" : "; refused: " + refused.joined(separator: "; ")
                return PrecisionChoice(precision: candidate, reason: "measured: \(format(speed.speedup(candidate)))× exact on this CPU; "
                    + "agrees with exact to cosine \(format(cosine, digits: 5))\(rerank) on \(fidelity.texts) calibration texts of this model "
                    + "(bounds \(format(bound, digits: 5))\(rerankBound), from bf16 rounding's)\(passedOver)")
            }
            refused.append("\(candidate.rawValue) \(format(speed.speedup(candidate)))× but cosine \(format(cosine, digits: 5))\(rerank), "
                           + "outside the bounds \(format(bound, digits: 5))\(rerankBound)")
        }
        return PrecisionChoice(precision: .exact, reason: "measured: no faster precision is faithful on this model (\(refused.joined(separator: "; ")))")
    }

    static func format(_ value: Double, digits: Int = 1) -> String {
        String(format: "%.\(digits)f", value)
    }
}
