import Foundation

// The one way a request becomes ranked results, for every face (the screen, `qwery search`, MCP).
//
//   face ── SearchJob ──> SearchPipeline
//     lexical stage:  parse once, resolve filters, FTS5      ── .lexical(results) ──> face   (at once)
//     semantic stage: embed the query (scheduler), vector scan, fusion
//                                                           ── .semantic(results) ──> face
//     rerank stage:   RerankPass over the top `rerankDepth`  ── .score(chunk, …) ──> face   (one per candidate)
//                                                           ── .done(results) ──────> face   (always last)
//
// The screen runs the lexical stage on its own queue (instant) and the rest on the engine's, forwarding
// every update as an action; `qwery search` and MCP take `.done`'s list. A "more like this" job ranks by
// stored vectors instead (nothing embedded; `qwery similar` and MCP run it with `rerank: false`). `isCancelled`
// is asked between stages and inside the rerank pass, between layers of the model.

/// What to search for and how.
package struct SearchJob: Sendable {
    package enum Source: Sendable, Equatable {
        /// A query as typed: words, filters (`ext:`, `path:`…), or `similar:PATH[:LINE]`.
        case text(String)
        /// More like the chunk at `line` of `path` (or the whole file): stored vectors only.
        case similar(path: String, line: Int?)
    }

    package let source: Source
    /// The text query parsed once, for every stage (`raw` is "" for a similar job).
    package let query: QueryAnalysis
    package var options: SearchService.Options
    /// Whether the reranker re-orders the top `rerankDepth` (when there is one).
    package var rerank: Bool
    package var rerankDepth: Int
    /// How rerank scores re-order; nil: the reranker's own (`RerankPolicy.forReranker`).
    package var rerankPolicy: RerankPolicy?

    package init(_ source: Source, options: SearchService.Options = SearchService.Options(), rerank: Bool = true,
                rerankDepth: Int = RerankPass.defaultDepth) {
        var text = ""
        if case .text(let typed) = source { text = typed }
        self.init(source, query: QueryAnalysis(text), options: options, rerank: rerank, rerankDepth: rerankDepth)
    }

    /// A text job from a query already parsed (the screen parses its line once, when it changes).
    package init(_ query: QueryAnalysis, options: SearchService.Options = SearchService.Options(), rerank: Bool = true,
                rerankDepth: Int = RerankPass.defaultDepth) {
        self.init(.text(query.raw), query: query, options: options, rerank: rerank, rerankDepth: rerankDepth)
    }

    private init(_ source: Source, query: QueryAnalysis, options: SearchService.Options, rerank: Bool, rerankDepth: Int) {
        self.source = source
        self.query = query
        self.options = options
        self.rerank = rerank
        self.rerankDepth = rerankDepth
    }

    /// A query of filters alone (`sym:DatabasePool`): a listing, which loads no model.
    package var isListing: Bool {
        if case .text = source { return query.isFilterOnly }
        return false
    }
}

/// What a pipeline reports, in order: lexical, then semantic (when there is an embedding model with
/// vectors), then one score per reranked candidate, then done.
package enum SearchUpdate: Sendable {
    case lexical([SearchResult], milliseconds: Double)
    case semantic([SearchResult], milliseconds: Double)
    case score(chunkId: Int64, score: Float, done: Int, total: Int)
    /// The final order (reranked when a pass ran); `rerankMilliseconds` when one did.
    case done([SearchResult], rerankMilliseconds: Double?)
}

/// The stages of `SearchPipeline.run` to carry out.
package struct SearchStages: OptionSet, Sendable {
    package let rawValue: Int
    package init(rawValue: Int) { self.rawValue = rawValue }

    package static let lexical = SearchStages(rawValue: 1)
    /// Semantic fusion, rerank and done.
    package static let ranking = SearchStages(rawValue: 2)
    package static let all: SearchStages = [.lexical, .ranking]
}

/// Runs search jobs over one index's search service and rerank pass.
package final class SearchPipeline: Sendable {
    package let service: SearchService
    package let rerankPass: RerankPass?

    package init(service: SearchService, rerankPass: RerankPass?) {
        self.service = service
        self.rerankPass = rerankPass
    }

    /// Parses and filters a text job once (its lexical hits included): what its stages share. With `semantic`, its
    /// semantic hits are found meanwhile (for a caller that runs every stage at once).
    package func prepare(_ job: SearchJob, semantic: Bool = false,
                         isCancelled: @escaping @Sendable () -> Bool = { false }) throws -> SearchService.PreparedQuery {
        switch job.source {
        case .text: return try service.prepare(job.query, options: job.options, semantic: semantic, isCancelled: isCancelled)
        case .similar(let path, let line): return try service.prepared(similar: try service.similar(path: path, line: line, options: job.options))
        }
    }

    /// Runs `stages` of `job`, reporting through `update`; `prepared` (from `prepare`) is reused when given.
    /// Returns early, without `.done`, when `isCancelled` turns true.
    package func run(_ job: SearchJob, stages: SearchStages = .all, prepared: SearchService.PreparedQuery? = nil,
                    isCancelled: @escaping @Sendable () -> Bool = { false }, update: (SearchUpdate) -> Void) throws {
        let start = Date()
        // Every stage at once (the CLI, MCP, the server's answers): the semantic hits are found while BM25 runs.
        let query = try prepared ?? prepare(job, semantic: stages.contains(.ranking))
        if stages.contains(.lexical) {
            let results = try service.lexicalResults(query, options: job.options)
            update(.lexical(results, milliseconds: Self.milliseconds(since: start)))
        }
        guard stages.contains(.ranking), !isCancelled() else { return }
        var results: [SearchResult]
        if service.hasSemanticSearch {
            let semanticStart = Date()
            results = try service.search(query, options: job.options)
            guard !isCancelled() else { return }
            update(.semantic(results, milliseconds: Self.milliseconds(since: semanticStart)))
        } else {
            results = try service.lexicalResults(query, options: job.options)
        }
        // A query of filters alone has no words for the reranker to judge against.
        guard job.rerank, !query.isFilterOnly, let rerankPass, !results.isEmpty else {
            update(.done(results, rerankMilliseconds: nil))
            return
        }
        let candidates = Array(results.prefix(job.rerankDepth))
        let rerankStart = Date()
        var scores: [Int64: Float] = [:]
        try rerankPass.run(query: job.query.rerankText, instruction: job.options.instruction, candidates: candidates, isCancelled: isCancelled) { index, score in
            scores[candidates[index].chunkId] = score
            update(.score(chunkId: candidates[index].chunkId, score: score, done: scores.count, total: candidates.count))
        }
        update(.done(RerankPass.ordered(results, scores: scores, depth: job.rerankDepth, policy: job.rerankPolicy ?? rerankPass.policy),
                     rerankMilliseconds: Self.milliseconds(since: rerankStart)))
    }

    /// The final results of a job, all stages run: what `qwery search`, `similar` and MCP print.
    package func results(_ job: SearchJob) throws -> [SearchResult] {
        var final: [SearchResult] = []
        try run(job) { update in
            if case .done(let results, _) = update { final = results }
        }
        return final
    }

    static func milliseconds(since start: Date) -> Double {
        Date().timeIntervalSince(start) * 1000
    }
}
