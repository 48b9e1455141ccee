import Foundation

/// The usual retrieval metrics over one ranked list, with trec_eval's definitions (as `pytrec_eval` and
/// `ir-measures` compute them; `Tests/Eval/check_metrics.py` compares on a toy run):
/// - nDCG@k = DCG@k / ideal DCG@k, DCG = Σ gainᵢ / log₂(i + 1) with the graded gain itself (not 2^g − 1);
/// - recall@k = relevant items in the top k / relevant items;
/// - MRR@k (reciprocal rank) = 1 / rank of the first relevant item in the top k, else 0.
/// `gains` is the ranked list's gain per position (0 for not relevant; each relevant item counted at
/// its first position only); `relevant` the gains of every relevant item, retrieved or not.
package enum RankingMetrics {
    package static func ndcg(gains: [Double], relevant: [Double], at k: Int) -> Double {
        let ideal = relevant.filter { $0 > 0 }.sorted(by: >)
        let idealDCG = dcg(Array(ideal.prefix(k)))
        guard idealDCG > 0 else { return 0 }
        return dcg(Array(gains.prefix(k))) / idealDCG
    }

    package static func recall(gains: [Double], relevant: [Double], at k: Int) -> Double {
        let total = relevant.filter { $0 > 0 }.count
        guard total > 0 else { return 0 }
        return Double(gains.prefix(k).filter { $0 > 0 }.count) / Double(total)
    }

    package static func reciprocalRank(gains: [Double], at k: Int) -> Double {
        guard let first = gains.prefix(k).firstIndex(where: { $0 > 0 }) else { return 0 }
        return 1 / Double(first + 1)
    }

    static func dcg(_ gains: [Double]) -> Double {
        gains.enumerated().reduce(0) { sum, entry in sum + entry.element / log2(Double(entry.offset + 2)) }
    }
}

/// One query's figures.
package struct QueryMetrics: Sendable, Equatable, Codable {
    package var ndcg10: Double
    package var recall10: Double
    package var recall100: Double
    package var mrr10: Double

    package init(ndcg10: Double, recall10: Double, recall100: Double, mrr10: Double) {
        self.ndcg10 = ndcg10
        self.recall10 = recall10
        self.recall100 = recall100
        self.mrr10 = mrr10
    }

    package init(gains: [Double], relevant: [Double]) {
        ndcg10 = RankingMetrics.ndcg(gains: gains, relevant: relevant, at: 10)
        recall10 = RankingMetrics.recall(gains: gains, relevant: relevant, at: 10)
        recall100 = RankingMetrics.recall(gains: gains, relevant: relevant, at: 100)
        mrr10 = RankingMetrics.reciprocalRank(gains: gains, at: 10)
    }

    /// The mean of each figure (all zero for no queries).
    package static func mean(_ all: [QueryMetrics]) -> QueryMetrics {
        guard !all.isEmpty else { return QueryMetrics(ndcg10: 0, recall10: 0, recall100: 0, mrr10: 0) }
        let n = Double(all.count)
        return QueryMetrics(ndcg10: all.map(\.ndcg10).reduce(0, +) / n, recall10: all.map(\.recall10).reduce(0, +) / n,
                            recall100: all.map(\.recall100).reduce(0, +) / n, mrr10: all.map(\.mrr10).reduce(0, +) / n)
    }
}
