import Corpus
import Foundation
import Search
import Syntax
import Synchronization

/// What the search screen runs on, so the screen itself holds nothing below the core: lexical search at once,
/// the models loaded in the background (then semantic search and the rerank pass), the folders indexed and
/// watched, previews read (rooted, no-follow, as MCP `get`) and highlighted in the syntax worker. Every
/// event reaches the screen through one sink, `post`, in the order it happens.
package final class ScreenSession: Sendable {
    package struct Options: Sendable {
        package var roots: [String]
        /// Index and watch the roots (false: `--no-watch`, the index is searched as it is).
        package var watch: Bool
        package var rerankDepth: Int
        /// Send searches to a running `qwery watch` of this index when one answers (false: `--no-daemon`).
        package var useServer: Bool
        /// The server's socket (default: this index's address; tests name their own).
        package var serverSocket: String?

        package init(roots: [String], watch: Bool = true, rerankDepth: Int = SearchParameters.defaultRerankDepth, useServer: Bool = true,
                    serverSocket: String? = nil) {
            self.roots = roots
            self.watch = watch
            self.rerankDepth = rerankDepth
            self.useServer = useServer
            self.serverSocket = serverSocket
        }
    }

    /// How long the newest query waits for the next keystroke before it is embedded.
    static let settleMicroseconds: UInt32 = 30_000

    private let library: Library
    private let options: Options
    private let post: @Sendable (ScreenEvent) -> Void
    private let runner: ScreenSearchRunner
    /// The models are loaded (or being loaded) in this process: at start, or once a server stopped answering.
    private let loadingHere = Atomic<Bool>(false)
    /// The background indexing once the models are loaded; nil before, with `--no-watch`, or once stopped.
    private let live = Mutex<LiveSession?>(nil)
    /// While this screen indexes with its own models, it answers other faces' searches as `qwery watch` would.
    private let server = Mutex<QueryServer?>(nil)
    private let stopped = Atomic<Bool>(false)
    /// Highlights in the executable's syntax worker (a crashing scanner costs the colours, not the screen).
    private let syntaxWorker = SyntaxWorkerClient.makeDefault()
    /// Which grammars load, asked of that worker (a grammar that crashes when loaded costs a worker, not the screen).
    private let grammarReports: GrammarReports

    /// Searches lexically at once; `start()` loads the models and starts indexing.
    package init(library: Library, options: Options, post: @escaping @Sendable (ScreenEvent) -> Void) throws {
        self.library = library
        self.options = options
        self.post = post
        runner = ScreenSearchRunner(backend: .local(SearchPipeline(service: try library.lexicalService(), rerankPass: nil)),
                                    rerankDepth: options.rerankDepth, post: post)
        grammarReports = GrammarReports(worker: syntaxWorker)
    }

    /// Loads the models off the calling thread; once loaded, searches use them, `.engineReady` is posted and
    /// (unless `--no-watch`) the roots are indexed and watched. Indexer batches and the screen's queries share
    /// the library's scheduler, so queries come first.
    package func start() {
        if options.useServer, let served = runningServer() {
            runner.use(.served(served.client, template: served.template, lost: { [weak self] why in self?.serverStopped(why) }))
            post(.engineReady(semanticAvailable: served.info.semanticSearch ?? false, indexing: false,
                              rerankPolicy: served.info.rerankPolicy ?? .reorder))
            post(.served(pid: served.info.pid))
            return
        }
        loadHere()
    }

    /// The running `qwery watch` of this index with this screen's models, when one answers: it has the models
    /// and the vectors in memory and keeps the folders indexed, so this screen loads and indexes nothing.
    private func runningServer() -> (client: QueryServerClient, template: ServerRequest, info: ServerInfo)? {
        let client = options.serverSocket.map { QueryServerClient(socketPath: $0) } ?? QueryServerClient(library: library)
        // A status request naming this index and models: the server checks them as it does for every search, and
        // answers with its info only when they are its own.
        let template = QueryServerClient.request(.status, library: library)
        guard let info = client.send(template)?.info else { return nil }
        return (client, template, info)
    }

    /// The server stopped answering: say so, and load the models and index here as if there had been none.
    private func serverStopped(_ why: String) {
        guard !loadingHere.exchange(true, ordering: .sequentiallyConsistent) else { return }
        if let lexical = try? library.lexicalService() { runner.use(.local(SearchPipeline(service: lexical, rerankPass: nil))) }
        post(.notice("qwery watch stopped answering (\(why)); loading the models in this screen"))
        loadModelsHere()
    }

    private func loadHere() {
        guard !loadingHere.exchange(true, ordering: .sequentiallyConsistent) else { return }
        loadModelsHere()
    }

    private func loadModelsHere() {
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            let service: SearchService
            let rerankPass: RerankPass?
            do {
                service = try library.searchService()
                rerankPass = try library.rerankPass()
            } catch {
                return post(.engineFailed("models failed to load: \(error)"))
            }
            runner.use(.local(SearchPipeline(service: service, rerankPass: rerankPass)))
            post(.engineReady(semanticAvailable: service.hasSemanticSearch, indexing: options.watch,
                              rerankPolicy: rerankPass?.policy ?? .reorder))
            if options.watch {
                startIndexing(feeding: service)
                serve()
            }
        }
    }

    /// Answers other faces' searches (`qwery search`, `qwery mcp`) with this screen's models while it runs; not when
    /// another process already serves this index.
    private func serve() {
        guard options.useServer, let started = try? QueryServer(library: library) else { return }
        started.start()
        server.withLock { $0 = started }
        if stopped.load(ordering: .sequentiallyConsistent) { server.withLock { $0.take() }?.stop(drainSeconds: 1) }
    }

    /// Runs a query's stages in the background; its updates come back as `.results`, `.rerankScore`…
    package func search(_ query: ScreenQuery) {
        runner.submit(query)
    }

    /// Embeds these chunk contents (those still without a vector) before the rest of the queue.
    package func prioritize(_ contentHashes: [Data]) {
        live.withLock { $0 }?.prioritize(contentHashes)
    }

    /// A file's lines for the preview, with its highlighting when a grammar has it, or one line saying why
    /// it is not shown (outside the folders, hidden, ignored, not a regular file). Blocking: call it off the
    /// screen's loop.
    package func preview(_ path: String) -> ScreenPreview {
        let text: String
        do {
            text = try library.read(path, within: options.roots, maximumBytes: Int.max).text
        } catch {
            return ScreenPreview(path: path, lines: ["(not shown: \(error))"], highlights: nil)
        }
        // One parse per file shown: the highlight runs travel with its lines.
        let highlights: [[HighlightRun]]?
        if !grammarReports.isUsable(forPath: path) {
            highlights = nil
        } else if let syntaxWorker {
            highlights = syntaxWorker.highlights(text, path: path)
        } else {
            highlights = GrammarLibrary.shared.grammar(forPath: path).flatMap { Highlighter.lines(text, grammar: $0) }
        }
        return ScreenPreview(path: path, lines: text.splitLines(), highlights: highlights)
    }

    /// Ends indexing and watching; a run in progress stops between two files or batches.
    package func stop() {
        stopped.store(true, ordering: .sequentiallyConsistent)
        server.withLock { $0.take() }?.stop(drainSeconds: 1)
        live.withLock { $0.take() }?.stop()
    }

    /// The screen hears each indexing event and how far semantic search reaches as vectors are committed
    /// (or read in from another process).
    private func startIndexing(feeding service: SearchService) {
        let post = post
        do {
            let session = try library.startLiveSession(roots: options.roots, feedsSearch: true) { event in
                switch event {
                case .indexing(let indexing):
                    post(.indexing(indexing))
                    if case .embedding(let done, let total, _) = indexing {
                        post(.semanticCoverage(searchable: service.vectorCount, remaining: total - done))
                    }
                case .vectorsFollowed(let searchable):
                    post(.semanticCoverage(searchable: searchable, remaining: 0))
                }
            }
            live.withLock { $0 = session }
            // Stopped while the models loaded: this indexing is not wanted.
            if stopped.load(ordering: .sequentiallyConsistent) { return stop() }
            post(.watching(session.watchSummary))
        } catch {
            post(.notice("\(error)"))
        }
    }
}
