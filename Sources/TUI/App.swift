import CNcurses
import Engine
import Foundation
import Corpus
import Search
import Syntax

/// The interactive app: one loop reads keys, applies actions, carries out effects and redraws.
/// Indexing, embedding and reranking run in the background and post actions into the loop.
/// Why a file is not previewed, as a sentence.
public struct PreviewRefusal: Error, Sendable {
    public let reason: String
    public init(reason: String) { self.reason = reason }
}

public final class App {
    /// What the app is started with.
    public struct Configuration {
        public var roots: [String]
        public var theme: Theme
        public var useColours: Bool
        public var embeddingModelName: String?
        public var rerankerModelName: String?
        public var fullDimension: Int
        public var presets: [InstructionPreset]
        public var initialPreset: Int
        public var initialDimensions: Int?
        public var rerankDepth: Int
        public var initialQuery: String
        /// `[documents] pdf_viewer`: the command that opens a PDF at a page (`{path}`, `{page}`).
        public var pdfViewer: String?
        /// Reads a file to preview, or says why it is not shown: through the same rooted, no-follow read as
        /// indexing and MCP `get` (a link swapped in for an indexed file is not followed out of the folders;
        /// a hidden or ignored file is not shown). A document reads as its extracted text.
        public var readPreview: @Sendable (_ path: String) -> Result<String, PreviewRefusal> = { _ in .failure(PreviewRefusal(reason: "no reader")) }

        public init(roots: [String], theme: Theme, useColours: Bool, embeddingModelName: String?, rerankerModelName: String?,
                    fullDimension: Int, presets: [InstructionPreset] = InstructionPreset.builtIn, initialPreset: Int = 0,
                    initialDimensions: Int? = nil, rerankDepth: Int = RerankPass.defaultDepth, initialQuery: String = "",
                    pdfViewer: String? = nil) {
            self.pdfViewer = pdfViewer
            self.roots = roots
            self.theme = theme
            self.useColours = useColours
            self.embeddingModelName = embeddingModelName
            self.rerankerModelName = rerankerModelName
            self.fullDimension = fullDimension
            self.presets = presets
            self.initialPreset = initialPreset
            self.initialDimensions = initialDimensions
            self.rerankDepth = rerankDepth
            self.initialQuery = initialQuery
        }
    }

    /// Starts indexing and watching the roots, every event to `emit` (the core's `LiveSession`).
    public typealias StartIndexing = @Sendable (_ emit: @escaping @Sendable (LibraryEvent) -> Void) throws -> any BackgroundIndexing

    /// What needs the models — semantic search, the rerank pass, the indexer (which embeds). It is
    /// loaded off the main thread, so the screen and lexical search are there at once.
    public struct Engine: Sendable {
        public var service: SearchService
        public var rerankPass: RerankPass?
        /// nil: `--no-watch`, the index is searched as it is.
        public var startIndexing: StartIndexing?

        public init(service: SearchService, rerankPass: RerankPass?, startIndexing: StartIndexing?) {
            self.service = service
            self.rerankPass = rerankPass
            self.startIndexing = startIndexing
        }
    }

    let configuration: Configuration
    let lexicalService: SearchService
    let loadEngine: @Sendable () throws -> Engine
    /// The core's notices, shown in the status bar while the screen runs.
    let notices: ScreenNotices?
    private let loadedEngine = EngineSlot()
    private let events = EventQueue()
    private let previewQueue = DispatchQueue(label: "qwery.preview")
    /// Highlights in the executable's syntax worker (a crashing scanner costs the colours, not the screen).
    private let syntaxWorker = SyntaxWorkerClient.makeDefault()
    /// Which grammars load, asked of that worker (a grammar that crashes when loaded costs a worker, not the screen).
    private let grammarReports: GrammarReports
    /// The background indexing once the models are loaded (main loop only).
    private var liveIndex: (any BackgroundIndexing)?

    /// `lexicalService` answers until `loadEngine` (run in the background) has loaded the models.
    public init(configuration: Configuration, lexicalService: SearchService, notices: ScreenNotices? = nil,
                loadEngine: @escaping @Sendable () throws -> Engine) {
        self.configuration = configuration
        self.lexicalService = lexicalService
        self.notices = notices
        self.loadEngine = loadEngine
        grammarReports = GrammarReports(worker: syntaxWorker)
    }

    /// Runs on the terminal until the user quits.
    public func run() throws {
        let screen = CursesScreen(theme: configuration.theme, useColours: configuration.useColours)
        defer { screen.close() }
        run(on: screen)
    }

    /// The event loop: keys and background events become actions; `reduce` is the only thing that changes
    /// the state, and the effects it returns are carried out here.
    public func run(on screen: any Screen) {
        let renderer = Renderer(colours: screen.colours)
        var state = initialState(size: screen.size)
        let post = events.post
        var coordinator = SearchCoordinator(service: lexicalService, rerankPass: nil, rerankDepth: configuration.rerankDepth, post: post)
        defer { liveIndex?.stop() }
        notices?.connect { item in
            switch item {
            case .notice(let text): post(.notice(text))
            case .progress(let text): post(.activity(text))
            }
        }
        DispatchQueue.global(qos: .userInitiated).async { [loadEngine, loadedEngine] in
            do {
                let engine = try loadEngine()
                loadedEngine.put(engine)
                post(.engineReady(semanticAvailable: engine.service.hasSemanticSearch, indexing: engine.startIndexing != nil,
                                  rerankPolicy: engine.rerankPass?.policy ?? .reorder))
            } catch {
                post(.engineFailed("models failed to load: \(error)"))
            }
        }
        if !configuration.initialQuery.isEmpty {
            perform(reduce(&state, .insert(configuration.initialQuery)), screen: screen, coordinator: coordinator)
        }
        screen.draw(renderer.render(state))

        while !state.shouldQuit {
            var changed = false
            // Take every key already typed before drawing, so typing never waits for the screen.
            while let key = screen.readKey() {
                changed = true
                for action in actions(for: key, screen: screen, state: state) {
                    perform(reduce(&state, action), screen: screen, coordinator: coordinator)
                }
                if state.shouldQuit { break }
            }
            for action in events.drain() {
                changed = true
                if case .engineReady = action, let engine = loadedEngine.take() {
                    coordinator = SearchCoordinator(service: engine.service, rerankPass: engine.rerankPass,
                                                    rerankDepth: configuration.rerankDepth, post: post)
                    if let start = engine.startIndexing { liveIndex = startLiveIndex(start, service: engine.service) }
                }
                perform(reduce(&state, action), screen: screen, coordinator: coordinator)
            }
            if changed && !state.shouldQuit { screen.draw(renderer.render(state)) }
        }
    }

    /// Indexes the roots in the background and keeps watching them; the screen hears each event and how
    /// far semantic search reaches as vectors are committed (or read in from another process).
    private func startLiveIndex(_ start: StartIndexing, service: SearchService) -> (any BackgroundIndexing)? {
        let post = events.post
        do {
            let live = try start { event in
                switch event {
                case .indexing(let indexing):
                    post(.indexEvent(indexing))
                    if case .embedding(let done, let total, _) = indexing {
                        post(.semanticCoverage(searchable: service.vectorCount, remaining: total - done))
                    }
                case .vectorsFollowed(let searchable):
                    post(.semanticCoverage(searchable: searchable, remaining: 0))
                }
            }
            post(.watching(live.watchSummary))
            return live
        } catch {
            post(.notice("\(error)"))
            return nil
        }
    }

    private func initialState(size: (rows: Int, columns: Int)) -> AppState {
        var state = AppState()
        state.rows = size.rows
        state.columns = size.columns
        state.roots = configuration.roots
        state.fullDimension = configuration.fullDimension
        state.presets = configuration.presets
        state.themeName = configuration.theme.name
        state.themes = Theme.available
        state.presetIndex = min(configuration.initialPreset, configuration.presets.count - 1)
        state.rerankDepth = configuration.rerankDepth
        if let dimensions = configuration.initialDimensions, let index = state.dimensionChoices.firstIndex(of: dimensions) {
            state.dimensionIndex = index
        }
        state.status.embeddingModel = configuration.embeddingModelName ?? "lexical only (no model)"
        state.status.hasEmbeddingModel = configuration.embeddingModelName != nil
        state.status.rerankerModel = configuration.rerankerModelName
        state.status.semanticAvailable = false
        state.status.indexing = .loadingModels
        return state
    }

    private func actions(for key: KeyInput, screen: any Screen, state: AppState) -> [Action] {
        if case .function(let code) = key, code == KEY_RESIZE {
            let size = screen.size
            return [.resize(rows: size.rows, columns: size.columns)]
        }
        if key == .character(27), let next = screen.readKey(), case .character = next {
            return Keymap.actions(for: next, alt: true, state: state)
        }
        return Keymap.actions(for: key, state: state)
    }

    private func perform(_ effects: [Effect], screen: any Screen, coordinator: SearchCoordinator) {
        for effect in effects {
            switch effect {
            case .search(let request):
                coordinator.submit(request)
            case .applyTheme(let name):
                do { screen.apply(theme: try Theme.load(named: name)) } catch { events.post(.notice("\(error)")) }
            case .loadPreview(let path):
                let readPreview = configuration.readPreview
                previewQueue.async { [events, syntaxWorker, grammarReports] in
                    let text: String
                    switch readPreview(path) {
                    case .success(let read): text = read
                    case .failure(let refusal): text = "(not shown: \(refusal.reason))"
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
                    events.post(.previewLoaded(path: path, lines: text.splitLines(), highlights: highlights))
                }
            case .openDocument(let path, let page):
                let command = DocumentOpener.command(path: path, page: page, configured: configuration.pdfViewer)
                screen.suspend { Self.run(command) }
                let size = screen.size
                events.post(.resize(rows: size.rows, columns: size.columns))
            case .openEditor(let path, let line):
                screen.suspend { Self.openEditor(path: path, line: line) }
                // The terminal may have changed size meanwhile: the next turn of the loop lays out again.
                let size = screen.size
                events.post(.resize(rows: size.rows, columns: size.columns))
            case .prioritizeEmbedding(let hashes):
                liveIndex?.prioritize(hashes)
            case .quit:
                break
            }
        }
    }

    /// Runs `$VISUAL` or `$EDITOR` (default vi) as `EDITOR +LINE PATH` and waits for it.
    static func openEditor(path: String, line: Int) {
        let environment = ProcessInfo.processInfo.environment
        let editor = [environment["VISUAL"], environment["EDITOR"]].compactMap { $0 }.first { !$0.isEmpty } ?? "vi"
        run(["/bin/sh", "-c", editor + " \"$1\" \"$2\"", "qwery-editor", "+\(line)", path], name: editor)
    }

    /// Runs a command (argv, looked up on PATH) and waits for it.
    static func run(_ arguments: [String], name: String? = nil) {
        guard let program = arguments.first else { return }
        // posix_spawn + waitpid: Foundation's Process can miss a child's exit on Linux.
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let code = posix_spawnp(&pid, program, nil, nil, argv, environ)
        guard code == 0 else {
            FileHandle.standardError.write(Data("qwery: cannot start \(name ?? program): \(String(cString: strerror(code)))\n".utf8))
            return
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    }
}
