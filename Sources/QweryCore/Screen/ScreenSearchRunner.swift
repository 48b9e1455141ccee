import Engine
import Foundation
import Search
import Synchronization

/// Runs the screen's searches and posts every update. In this process: through the one `SearchPipeline` (see
/// its event map), the lexical stage on its own queue (at once, even while the engine is busy), semantic fusion
/// and the streaming rerank pass on the engine queue. Or, while a `qwery watch` of this index serves, through
/// its socket (`QueryServer`'s `stream`): the same job, run there, its stages streamed back. A newer query makes
/// older work stop: queued jobs skip themselves, a running rerank pass is cancelled between layers of the model,
/// a served stream's connection is closed. The generation is the screen's (`AppState.generation`); this keeps
/// only the newest one submitted.
final class ScreenSearchRunner: Sendable {
    enum Backend: Sendable {
        case local(SearchPipeline)
        /// The running server, the request template that names this index and its models, and what to call
        /// (once) when it stops answering mid-session: the session then loads its own models.
        case served(QueryServerClient, template: ServerRequest, lost: @Sendable (String) -> Void)
    }

    private let backend: Mutex<Backend>
    private let rerankDepth: Int
    private let post: @Sendable (ScreenEvent) -> Void
    private let newest = Atomic<Int>(0)
    /// The newest query's parsed filters and lexical hits, for its ranking stages to reuse.
    private let prepared = Mutex<(generation: Int, query: SearchService.PreparedQuery)?>(nil)
    /// The served stream under way, closed when a newer query comes.
    private let streaming = Mutex<StreamConnection?>(nil)
    private let lexicalQueue = DispatchQueue(label: "qwery.search.lexical")
    private let engineQueue = DispatchQueue(label: "qwery.search.engine")
    private let streamQueue = DispatchQueue(label: "qwery.search.served")

    init(backend: Backend, rerankDepth: Int, post: @escaping @Sendable (ScreenEvent) -> Void) {
        self.backend = Mutex(backend)
        self.rerankDepth = rerankDepth
        self.post = post
    }

    /// From now on searches run with this back end (the loaded models, lexical only, or the server).
    func use(_ backend: Backend) {
        self.backend.withLock { $0 = backend }
    }

    func submit(_ request: ScreenQuery) {
        newest.store(request.generation, ordering: .sequentiallyConsistent)
        streaming.withLock { $0.take() }?.cancel()
        switch backend.withLock({ $0 }) {
        case .local(let pipeline): submit(request, to: pipeline)
        case .served(let client, let template, _): submit(request, to: client, template: template)
        }
    }

    private func submit(_ request: ScreenQuery, to client: QueryServerClient, template: ServerRequest) {
        let connection = StreamConnection()
        streaming.withLock { $0 = connection }
        streamQueue.async { [self] in
            guard isCurrent(request) else { return }
            var served = template
            if let similar = request.similar {
                served.method = .similar
                served.similar = similarParameters(similar, request: request)
                guard let answer = client.send(served), let results = answer.results else {
                    return lost("the server did not answer", request: request)
                }
                if isCurrent(request) { post(.results(generation: request.generation, results: results, phase: .semantic, milliseconds: 0)) }
                return
            }
            served.method = .stream
            served.search = parameters(for: request)
            let end = client.stream(served, connection: connection) { update in
                if isCurrent(request) { forward(update, request: request) }
            }
            if case .failed(let why) = end { lost(why, request: request) }
        }
    }

    /// The server went away (or answered something unexpected): this query, and every later one, run here.
    private func lost(_ why: String, request: ScreenQuery) {
        guard case .served(_, _, let lost) = backend.withLock({ $0 }) else { return }
        lost(why)
        if isCurrent(request) { submit(request) }
    }

    private func submit(_ request: ScreenQuery, to pipeline: SearchPipeline) {
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
            usleep(ScreenSession.settleMicroseconds)
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

    /// The screen's query as the server takes it (and as `job(for:)` builds it here: one place for both).
    private func parameters(for request: ScreenQuery) -> SearchParameters {
        var parameters = SearchParameters(query: request.query.raw, limit: 100, dimensions: request.dimensions, perFile: nil,
                                          instruction: request.instruction, rerank: request.rerank, rerankDepth: rerankDepth)
        parameters.typing = true
        return parameters
    }

    private func similarParameters(_ similar: SimilarTarget, request: ScreenQuery) -> SimilarParameters {
        SimilarParameters(path: similar.path, line: similar.line, limit: 100, dimensions: request.dimensions)
    }

    private func job(for request: ScreenQuery) -> SearchJob {
        if let similar = request.similar { return similarParameters(similar, request: request).job() }
        return parameters(for: request).job(parsed: request.query)
    }

    private func isCurrent(_ request: ScreenQuery) -> Bool {
        newest.load(ordering: .sequentiallyConsistent) == request.generation
    }
}
