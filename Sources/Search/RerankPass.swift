import Engine
import Corpus
import Foundation
import Synchronization

/// Rerank scores already computed, per (model, instruction, query, chunk content).
package final class RerankScoreCache: Sendable {
    private let scores = Mutex<[String: Float]>([:])

    package init() {}

    static func key(model: String, instruction: String, query: String, contentHash: Data) -> String {
        model + "\u{0}" + instruction + "\u{0}" + query + "\u{0}" + contentHash.base64EncodedString()
    }

    func score(_ key: String) -> Float? { scores.withLock { $0[key] } }

    /// Scores held.
    package var count: Int { scores.withLock { $0.count } }

    func store(_ score: Float, for key: String) {
        scores.withLock { cache in
            if cache.count > 100_000 { cache.removeAll() }
            cache[key] = score
        }
    }
}

/// Scores the top candidates of a search with the reranker, one at a time so each score can be
/// shown as soon as it exists. The prompt start (system text, instruction, query) is computed once
/// per pass; a cancelled pass stops within one layer of the forward pass.
package struct RerankPass: Sendable {
    package let reranker: Reranker
    package let cache: RerankScoreCache
    /// Identity of the reranker's weights, so cached scores of another model are never used.
    package let modelIdentity: String
    /// The pass is interactive work of this scheduler: it runs before the indexer's next layer.
    package let scheduler: EngineScheduler?

    package init(reranker: Reranker, cache: RerankScoreCache = RerankScoreCache(), modelIdentity: String, scheduler: EngineScheduler? = nil) {
        self.reranker = reranker
        self.cache = cache
        self.modelIdentity = modelIdentity
        self.scheduler = scheduler
    }

    /// How many scores a pass computed and how many it found in the cache.
    package struct Summary: Sendable, Equatable {
        package var computed = 0
        package var cached = 0
    }

    /// Scores `candidates` in order against `query` — the words alone, filters taken out (`QueryAnalysis.rerankText`)
    /// — calling `onScore(index, score)` after each; throws `EngineError.cancelled` when `isCancelled` turns true.
    @discardableResult
    package func run(
        query: String, instruction: String, candidates: [SearchResult],
        isCancelled: @escaping @Sendable () -> Bool = { false }, onScore: (Int, Float) -> Void
    ) throws -> Summary {
        try score(query: query, instruction: instruction, candidates: candidates, isCancelled: isCancelled, onScore: onScore)
    }

    /// One step of the pass (the first score, then one score per core) as interactive work: the indexer waits for it
    /// (a newer query cancels it within a layer, which releases the engine for that query's embedding). Between
    /// steps the indexer gets its share (`EngineScheduler.backgroundShareDuringRerank`), so a pass never starves it.
    /// `previous`: how long the step before took (the share is given before this one, so a score is shown at once).
    private func step<T>(after previous: inout TimeInterval?, _ work: () throws -> T) throws -> T {
        guard let scheduler else { return try work() }
        if let previous { scheduler.shareWithBackground(after: previous) }
        let start = Date()
        let result = try scheduler.interactive(work)
        previous = Date().timeIntervalSince(start)
        return result
    }

    private func score(
        query: String, instruction: String, candidates: [SearchResult],
        isCancelled: @escaping @Sendable () -> Bool, onScore: (Int, Float) -> Void
    ) throws -> Summary {
        var summary = Summary()
        var prefix: PrefixCache?
        var waiting: [(index: Int, key: String, prompt: [Int])] = []
        for (index, candidate) in candidates.enumerated() {
            let key = RerankScoreCache.key(model: modelIdentity, instruction: instruction, query: query, contentHash: candidate.contentHash)
            if let known = cache.score(key) {
                summary.cached += 1
                onScore(index, known)
                continue
            }
            let document = ChunkText.embeddingText(context: candidate.context, text: candidate.text)
            waiting.append((index, key, reranker.promptIds(query: query, document: document, instruction: instruction)))
        }
        // The best candidate alone, for the quickest first score; then one per core at a time.
        var start = 0
        var lastStep: TimeInterval?
        if let first = waiting.first {
            if isCancelled() { throw EngineError.cancelled }
            // The first prompt also yields the shared prompt start for the others: one pass, not two.
            let (score, cache) = try step(after: &lastStep) {
                try reranker.scoreAndPrefixCache(promptIds: first.prompt, query: query, instruction: instruction, isCancelled: isCancelled)
            }
            prefix = cache
            self.cache.store(score, for: first.key)
            summary.computed += 1
            onScore(first.index, score)
            start = 1
        }
        while start < waiting.count {
            if isCancelled() { throw EngineError.cancelled }
            let end = min(waiting.count, start + max(1, ProcessInfo.processInfo.activeProcessorCount))
            let group = Array(waiting[start..<end])
            let scores = try step(after: &lastStep) { try reranker.scores(promptIds: group.map(\.prompt), cache: prefix, isCancelled: isCancelled) }
            for (item, score) in zip(group, scores) {
                cache.store(score, for: item.key)
                summary.computed += 1
                onScore(item.index, score)
            }
            start = end
        }
        return summary
    }

    /// How many of the top results the reranker re-orders unless told otherwise (`--rerank-depth`,
    /// `rerank_depth`): the one place this number is written.
    package static let defaultDepth = 10

    /// How this pass's scores re-order results: by the reranker's size (see `RerankPolicy`).
    package var policy: RerankPolicy { .forReranker(hiddenSize: reranker.model.configuration.hiddenSize) }

    /// `results` with `scores` (by chunk) applied and the first `depth` re-ordered by `policy`.
    package static func ordered(_ results: [SearchResult], scores: [Int64: Float], depth: Int, policy: RerankPolicy = .reorder) -> [SearchResult] {
        var results = results
        for index in results.indices {
            if let score = scores[results[index].chunkId] { results[index].rerankScore = score }
        }
        return reordered(results, depth: min(depth, results.count), policy: policy)
    }

    /// The results with the first `depth` re-ordered: scored ones by `policy`'s key (best first), then the
    /// not-yet-scored ones in their fused order; results below `depth` keep their places.
    package static func reordered(_ results: [SearchResult], depth: Int, policy: RerankPolicy = .reorder) -> [SearchResult] {
        let top = Array(results.prefix(depth))
        func key(_ result: SearchResult) -> Double {
            policy.key(score: result.rerankScore ?? 0, fusedRank: result.fusedRank, depth: depth, path: result.path)
        }
        let scored = top.filter { $0.rerankScore != nil }.sorted { a, b in
            key(a) != key(b) ? key(a) > key(b) : a.fusedRank < b.fusedRank
        }
        let unscored = top.filter { $0.rerankScore == nil }
        return scored + unscored + results.dropFirst(depth)
    }
}
