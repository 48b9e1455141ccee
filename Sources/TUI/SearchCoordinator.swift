import Engine
import Foundation
import Search
import Synchronization

/// Runs the screen's searches through the one `SearchPipeline` (see its event map), off the main thread,
/// and posts every update as an action: the lexical stage on its own queue (at once, even while the engine
/// is busy), semantic fusion and the streaming rerank pass on the engine queue. A newer request makes older
/// work stop: queued jobs skip themselves, a running rerank pass is cancelled between layers of the model.
public final class SearchCoordinator: Sendable {
    let pipeline: SearchPipeline
    let rerankDepth: Int
    private let post: @Sendable (Action) -> Void
    private let current = Atomic<Int>(0)
    /// The newest request's parsed query, filters and lexical hits, for its ranking stages to reuse.
    private let prepared = Mutex<(generation: Int, query: SearchService.PreparedQuery)?>(nil)
    private let lexicalQueue = DispatchQueue(label: "qwery.search.lexical")
    private let engineQueue = DispatchQueue(label: "qwery.search.engine")

    public init(service: SearchService, rerankPass: RerankPass?, rerankDepth: Int, post: @escaping @Sendable (Action) -> Void) {
        pipeline = SearchPipeline(service: service, rerankPass: rerankPass)
        self.rerankDepth = rerankDepth
        self.post = post
    }

    public func submit(_ request: SearchRequest) {
        current.store(request.generation, ordering: .sequentiallyConsistent)
        let job = job(for: request)
        lexicalQueue.async { [self] in
            guard isCurrent(request) else { return }
            do {
                let query = try pipeline.prepare(job, isCancelled: { [self] in !isCurrent(request) })
                prepared.withLock { $0 = (request.generation, query) }
                try pipeline.run(job, stages: .lexical, prepared: query) { update in
                    if isCurrent(request) { forward(update, request: request) }
                }
            } catch {
                failed(error, request: request)
            }
        }
        engineQueue.async { [self] in
            // Let a burst of keystrokes settle: only the newest query gets embedded. Stale jobs return at
            // once (a pasted line of 400 characters queues 400 jobs; only the last one waits, 30 ms).
            guard isCurrent(request) else { return }
            usleep(Self.settleMicroseconds)
            guard isCurrent(request) else { return }
            do {
                // The lexical stage has usually prepared this query by now (it had the settle time).
                let query = try prepared.withLock { $0?.generation == request.generation ? $0?.query : nil } ?? pipeline.prepare(job)
                try pipeline.run(job, stages: .ranking, prepared: query, isCancelled: { [self] in !isCurrent(request) }) { update in
                    if isCurrent(request) { forward(update, request: request) }
                }
            } catch EngineError.cancelled {
                return
            } catch {
                failed(error, request: request)
            }
        }
    }

    /// A failed search of the current query says so in the status bar; a query the user is still typing
    /// (`sym:` before its value) is not a failure there — the query line already shows what it lacks.
    private func failed(_ error: any Error, request: SearchRequest) {
        guard isCurrent(request), !(error is QuerySyntaxError) else { return }
        if error.isSearchCancellation { return }
        if let similar = error as? SimilarError {
            let message = similar == .noVectors(path: request.similar?.path ?? "")
                ? "more like this needs that chunk's vector, which is not computed yet: it is now first in the embedding queue — press F6 again in a moment"
                : "more like this: \(similar)"
            return post(.similarFailed(generation: request.generation, message: message))
        }
        post(.notice("search failed: \(error)"))
    }

    /// How long the newest query waits for the next keystroke before it is embedded.
    static let settleMicroseconds: UInt32 = 30_000

    private func forward(_ update: SearchUpdate, request: SearchRequest) {
        switch update {
        case .lexical(let results, let milliseconds):
            post(.results(generation: request.generation, results: results, phase: .lexical, milliseconds: milliseconds))
        case .semantic(let results, let milliseconds):
            post(.results(generation: request.generation, results: results, phase: .semantic, milliseconds: milliseconds))
        case .score(let chunkId, let score, let done, let total):
            post(.rerankScore(generation: request.generation, chunkId: chunkId, score: score, done: done, total: total))
        case .done(_, let rerankMilliseconds):
            if let rerankMilliseconds { post(.rerankFinished(generation: request.generation, milliseconds: rerankMilliseconds)) }
        }
    }

    private func job(for request: SearchRequest) -> SearchJob {
        var options = SearchService.Options()
        options.limit = 100
        options.typing = true
        // A keystroke waits for no query: the next one cancels this one's SQL, and none runs past this.
        options.lexicalSeconds = 2
        options.dimensions = request.dimensions
        options.instruction = request.instruction
        if let similar = request.similar {
            return SearchJob(.similar(path: similar.path, line: similar.line), options: options, rerank: request.rerank, rerankDepth: rerankDepth)
        }
        return SearchJob(request.query, options: options, rerank: request.rerank, rerankDepth: rerankDepth)
    }

    private func isCurrent(_ request: SearchRequest) -> Bool {
        current.load(ordering: .sequentiallyConsistent) == request.generation
    }
}
