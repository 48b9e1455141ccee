import Engine
import Foundation
import Search
import Synchronization

/// Runs searches off the main thread and posts their results as actions: lexical hits at once,
/// then (on the engine queue) the query embedding, fused results and the streaming rerank pass.
/// A newer request makes older work stop: queued jobs skip themselves, a running rerank pass is
/// cancelled between layers of the model.
public final class SearchCoordinator: Sendable {
    let service: SearchService
    let rerankPass: RerankPass?
    let rerankDepth: Int
    private let post: @Sendable (Action) -> Void
    private let current = Atomic<Int>(0)
    /// The newest request's parsed query, filters and lexical hits, for its semantic pass to reuse.
    private let prepared = Mutex<(generation: Int, query: SearchService.PreparedQuery)?>(nil)
    private let lexicalQueue = DispatchQueue(label: "qwery.search.lexical")
    private let engineQueue = DispatchQueue(label: "qwery.search.engine")

    public init(service: SearchService, rerankPass: RerankPass?, rerankDepth: Int, post: @escaping @Sendable (Action) -> Void) {
        self.service = service
        self.rerankPass = rerankPass
        self.rerankDepth = rerankDepth
        self.post = post
    }

    public func submit(_ request: SearchRequest) {
        current.store(request.generation, ordering: .sequentiallyConsistent)
        let options = Self.options(for: request)
        lexicalQueue.async { [self] in
            guard isCurrent(request) else { return }
            let start = Date()
            do {
                let query = try service.prepare(request.query, options: options)
                prepared.withLock { $0 = (request.generation, query) }
                let results = try service.lexicalResults(query, options: options)
                guard isCurrent(request) else { return }
                post(.results(generation: request.generation, results: results, phase: .lexical, milliseconds: milliseconds(since: start)))
            } catch {
                post(.notice("search failed: \(error)"))
            }
        }
        engineQueue.async { [self] in
            // Let a burst of keystrokes settle: only the newest query gets embedded. Stale jobs return at
            // once (a pasted line of 400 characters queues 400 jobs; only the last one waits, 30 ms).
            guard isCurrent(request) else { return }
            usleep(Self.settleMicroseconds)
            guard isCurrent(request) else { return }
            let start = Date()
            do {
                // The lexical pass has usually prepared this query by now (it had the settle time).
                let query = try prepared.withLock { $0?.generation == request.generation ? $0?.query : nil }
                    ?? service.prepare(request.query, options: options)
                var results: [SearchResult]
                if service.hasSemanticSearch {
                    results = try service.search(query, options: options)
                    guard isCurrent(request) else { return }
                    post(.results(generation: request.generation, results: results, phase: .semantic, milliseconds: milliseconds(since: start)))
                } else {
                    results = try service.lexicalResults(query, options: options)
                }
                if request.rerank, let rerankPass { try rerank(results, request: request, pass: rerankPass) }
            } catch EngineError.cancelled {
                return
            } catch {
                post(.notice("search failed: \(error)"))
            }
        }
    }

    /// How long the newest query waits for the next keystroke before it is embedded.
    static let settleMicroseconds: UInt32 = 30_000

    private func rerank(_ results: [SearchResult], request: SearchRequest, pass: RerankPass) throws {
        let candidates = Array(results.prefix(rerankDepth))
        guard !candidates.isEmpty else { return }
        let start = Date()
        var done = 0
        try pass.run(query: request.query, instruction: request.instruction, candidates: candidates,
                     isCancelled: { [self] in !self.isCurrent(request) }) { index, score in
            done += 1
            post(.rerankScore(generation: request.generation, chunkId: candidates[index].chunkId, score: score,
                              done: done, total: candidates.count))
        }
        post(.rerankFinished(generation: request.generation, milliseconds: milliseconds(since: start)))
    }

    private static func options(for request: SearchRequest) -> SearchService.Options {
        var options = SearchService.Options()
        options.limit = 100
        options.dimensions = request.dimensions
        options.instruction = request.instruction
        return options
    }

    private func isCurrent(_ request: SearchRequest) -> Bool {
        current.load(ordering: .sequentiallyConsistent) == request.generation
    }

    private func milliseconds(since start: Date) -> Double {
        Date().timeIntervalSince(start) * 1000
    }
}
