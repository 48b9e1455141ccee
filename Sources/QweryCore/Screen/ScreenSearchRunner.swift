import Engine
import Foundation
import Search
import Synchronization

/// Runs the screen's searches through the one `SearchPipeline` (see its event map), off the main thread,
/// and posts every update: the lexical stage on its own queue (at once, even while the engine is busy),
/// semantic fusion and the streaming rerank pass on the engine queue. A newer query makes older work stop:
/// queued jobs skip themselves, a running rerank pass is cancelled between layers of the model. The
/// generation is the screen's (`AppState.generation`); this keeps only the newest one submitted.
final class ScreenSearchRunner: Sendable {
    private let pipeline: Mutex<SearchPipeline>
    private let rerankDepth: Int
    private let post: @Sendable (ScreenEvent) -> Void
    private let newest = Atomic<Int>(0)
    /// The newest query's parsed filters and lexical hits, for its ranking stages to reuse.
    private let prepared = Mutex<(generation: Int, query: SearchService.PreparedQuery)?>(nil)
    private let lexicalQueue = DispatchQueue(label: "qwery.search.lexical")
    private let engineQueue = DispatchQueue(label: "qwery.search.engine")

    init(pipeline: SearchPipeline, rerankDepth: Int, post: @escaping @Sendable (ScreenEvent) -> Void) {
        self.pipeline = Mutex(pipeline)
        self.rerankDepth = rerankDepth
        self.post = post
    }

    /// From now on searches run with the loaded models (semantic stage, rerank pass).
    func use(_ loaded: SearchPipeline) {
        pipeline.withLock { $0 = loaded }
    }

    func submit(_ request: ScreenQuery) {
        newest.store(request.generation, ordering: .sequentiallyConsistent)
        let job = job(for: request)
        let pipeline = pipeline.withLock { $0 }
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

    /// A failed search of the current query says so; a query the user is still typing (`sym:` before its
    /// value) is not a failure — the query line already shows what it lacks.
    private func failed(_ error: any Error, request: ScreenQuery) {
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

    private func forward(_ update: SearchUpdate, request: ScreenQuery) {
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

    private func job(for request: ScreenQuery) -> SearchJob {
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

    private func isCurrent(_ request: ScreenQuery) -> Bool {
        newest.load(ordering: .sequentiallyConsistent) == request.generation
    }
}
