import Corpus
import Foundation

/// How the reranker's scores re-order results, by content kind and reranker size.
///
/// The seed's own evaluation (Qwen3-Embedding blog, scores on Qwen3-Embedding-0.6B's top 100) shows
/// Qwen3-Reranker-0.6B *lowering* code retrieval (MTEB-Code 75.41 → 73.42) while raising text retrieval
/// (MTEB-R 61.82 → 65.80); the 4B and 8B rerankers raise code too (81.20, 81.22). So with a small reranker a
/// code result is *blended* — its rerank score averaged with its fused position, so a strong lexical or
/// definition hit is not pushed down — and prose is re-ordered by the score; with a 4B/8B reranker both are
/// re-ordered. `qwery eval --compare hybrid,rerank` measures it on your data.
package enum RerankPolicy: Sendable, Equatable, Codable {
    /// Every reranked result ordered by its rerank score.
    case reorder
    /// Code results by `weight × score + (1 − weight) × position` (position 1 for the first fused result,
    /// falling linearly to 1/depth for the last reranked one); prose by score.
    case blendCode(weight: Double)

    /// The policy for a reranker of this hidden size: Qwen3-Reranker-0.6B's is 1024, 4B's 2560, 8B's 4096.
    package static func forReranker(hiddenSize: Int) -> RerankPolicy {
        hiddenSize <= 1024 ? .blendCode(weight: 0.5) : .reorder
    }

    /// The value a reranked result is sorted by (higher first).
    func key(score: Float, fusedRank: Int, depth: Int, path: String) -> Double {
        switch self {
        case .reorder:
            return Double(score)
        case .blendCode(let weight):
            guard FileKind(path: path) == .code else { return Double(score) }
            let position = 1 - Double(max(0, fusedRank - 1)) / Double(max(1, depth))
            return weight * Double(score) + (1 - weight) * position
        }
    }
}
