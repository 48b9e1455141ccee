import Store

/// Reciprocal rank fusion (Cormack et al., 2009): each list adds `1 / (k + rank)` for every result,
/// k = 60. Then at most `perFile` results of one file are kept near the top, so one long file does
/// not flood the list; its other results follow after every other file's.
package struct Fusion: Sendable {
    package var k: Double = 60
    /// Results of one file allowed before the overflow; 0 keeps everything in fused order.
    package var perFile = 3
    /// How much the semantic and the lexical list count (each list's `1 / (k + rank)` is multiplied by its
    /// weight); a list of weight 0 is left out (`qwery eval`'s semantic-only and lexical-only runs).
    package var semanticWeight = 1.0
    package var lexicalWeight = 1.0

    package init(perFile: Int = 3) {
        self.perFile = perFile
    }

    /// Fuses ranked chunk-id lists (best first) into (chunk id, fused score), best first; `weights` per list
    /// (1 each when not given).
    package func fuse(_ lists: [[Int64]], weights: [Double]? = nil) -> [(chunkId: Int64, score: Double)] {
        var scores: [Int64: Double] = [:]
        var firstSeen: [Int64: Int] = [:]
        var order = 0
        for (listIndex, list) in lists.enumerated() {
            let weight = weights.map { listIndex < $0.count ? $0[listIndex] : 1 } ?? 1
            guard weight > 0 else { continue }
            for (index, chunkId) in list.enumerated() {
                scores[chunkId, default: 0] += weight / (k + Double(index + 1))
                if firstSeen[chunkId] == nil {
                    firstSeen[chunkId] = order
                    order += 1
                }
            }
        }
        return scores.map { ($0.key, $0.value) }.sorted { a, b in
            a.1 != b.1 ? a.1 > b.1 : (firstSeen[a.0] ?? 0) < (firstSeen[b.0] ?? 0)
        }
    }

    /// Keeps at most `perFile` results per path in front, in order; the rest follow in order.
    package func grouped<T>(_ results: [T], path: (T) -> String) -> [T] {
        guard perFile > 0 else { return results }
        var counts: [PathKey: Int] = [:]
        var front: [T] = []
        var overflow: [T] = []
        for result in results {
            let key = PathKey(path(result))
            counts[key, default: 0] += 1
            if counts[key, default: 0] <= perFile { front.append(result) } else { overflow.append(result) }
        }
        return front + overflow
    }

    /// The weights for one query: a symbol-like query (`HttpRedirect`, `Sinatra::Base`) trusts the lexical
    /// list twice as much as the semantic one (an exact name beats a neighbour in meaning), a sentence both
    /// alike; and the semantic list counts only as much as the index it searched — with 1% of the chunks
    /// embedded, its nearest neighbour is a guess, while a rare word's only exact match is not (#34.4).
    package func weighted(for query: LexicalQuery, semanticCoverage: Double) -> Fusion {
        var fusion = self
        fusion.lexicalWeight = lexicalWeight * (query.isSymbolLike ? 2 : 1)
        fusion.semanticWeight = semanticWeight * max(0, min(1, semanticCoverage))
        return fusion
    }
}
