import CNcurses
import QweryCore
import Foundation

/// The interactive app: one loop reads keys, applies actions, carries out effects and redraws.
/// Indexing, embedding and reranking run in the background and post actions into the loop.
package final class App {
    /// What the app is started with.
    package struct Configuration {
        package var roots: [String]
        package var theme: Theme
        package var useColours: Bool
        package var embeddingModelName: String?
        package var rerankerModelName: String?
        package var fullDimension: Int
        package var presets: [InstructionPreset]
        package var initialPreset: Int
        package var initialDimensions: Int?
        package var rerankDepth: Int
        package var initialQuery: String
        /// `[documents] pdf_viewer`: the command that opens a PDF at a page (`{path}`, `{page}`).
        package var pdfViewer: String?

        package init(roots: [String], theme: Theme, useColours: Bool, embeddingModelName: String?, rerankerModelName: String?,
                    fullDimension: Int, presets: [InstructionPreset] = ScreenSession.builtInPresets, initialPreset: Int = 0,
                    initialDimensions: Int? = nil, rerankDepth: Int = SearchParameters.defaultRerankDepth, initialQuery: String = "",
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

    let configuration: Configuration
    /// Builds the core's session for the screen, given where its events go (the event loop's queue).
    let makeSession: (_ post: @escaping @Sendable (ScreenEvent) -> Void) throws -> ScreenSession
    /// The core's notices, shown in the status bar while the screen runs.
    let notices: ScreenNotices?
    private let events = EventQueue()
    private let previewQueue = DispatchQueue(label: "qwery.preview")

    /// The session searches lexically at once and loads the models in the background.
    package init(configuration: Configuration, notices: ScreenNotices? = nil,
                session makeSession: @escaping (_ post: @escaping @Sendable (ScreenEvent) -> Void) throws -> ScreenSession) {
        self.configuration = configuration
        self.notices = notices
        self.makeSession = makeSession
    }

    /// Runs on the terminal until the user quits.
    package func run() throws {
        let post = events.post
        let session = try makeSession { event in post(Self.action(for: event)) }
        let screen = CursesScreen(theme: configuration.theme, useColours: configuration.useColours)
        defer { screen.close() }
        run(on: screen, session: session)
    }

    /// The event loop: keys and background events become actions; `reduce` is the only thing that changes
    /// the state, and the effects it returns are carried out here.
    package func run(on screen: any Screen) throws {
        let post = events.post
        run(on: screen, session: try makeSession { event in post(Self.action(for: event)) })
    }

    private func run(on screen: any Screen, session: ScreenSession) {
        let renderer = Renderer(colours: screen.colours)
        var state = initialState(size: screen.size)
        let post = events.post
        defer { session.stop() }
        notices?.connect { item in
            switch item {
            case .notice(let text): post(.notice(text))
            case .progress(let text): post(.activity(text))
            }
        }
        session.start()
        if !configuration.initialQuery.isEmpty {
            perform(reduce(&state, .insert(configuration.initialQuery)), screen: screen, session: session)
        }
        screen.draw(renderer.render(state))

        while !state.shouldQuit {
            var changed = false
            // Take every key already typed before drawing, so typing never waits for the screen.
            while let key = screen.readKey() {
                changed = true
                for action in actions(for: key, screen: screen, state: state) {
                    perform(reduce(&state, action), screen: screen, session: session)
                }
                if state.shouldQuit { break }
            }
            for action in events.drain() {
                changed = true
                perform(reduce(&state, action), screen: screen, session: session)
            }
            if changed && !state.shouldQuit { screen.draw(renderer.render(state)) }
        }
    }

    /// The core's events as the screen's actions (one map: each event is one action).
    static func action(for event: ScreenEvent) -> Action {
        switch event {
        case .results(let generation, let results, let phase, let milliseconds):
            return .results(generation: generation, results: results, phase: phase, milliseconds: milliseconds)
        case .rerankScore(let generation, let chunkId, let score, let done, let total):
            return .rerankScore(generation: generation, chunkId: chunkId, score: score, done: done, total: total)
        case .rerankFinished(let generation, let milliseconds): return .rerankFinished(generation: generation, milliseconds: milliseconds)
        case .similarFailed(let generation, let message): return .similarFailed(generation: generation, message: message)
        case .notice(let text): return .notice(text)
        case .activity(let text): return .activity(text)
        case .indexing(let event): return .indexEvent(event)
        case .semanticCoverage(let searchable, let remaining): return .semanticCoverage(searchable: searchable, remaining: remaining)
        case .watching(let summary): return .watching(summary)
        case .engineReady(let semanticAvailable, let indexing, let rerankPolicy):
            return .engineReady(semanticAvailable: semanticAvailable, indexing: indexing, rerankPolicy: rerankPolicy)
        case .engineFailed(let message): return .engineFailed(message)
        case .served(let pid): return .served(pid: pid)
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

    private func perform(_ effects: [Effect], screen: any Screen, session: ScreenSession) {
        for effect in effects {
            switch effect {
            case .search(let request):
                session.search(request)
            case .applyTheme(let name):
                do { screen.apply(theme: try Theme.load(named: name)) } catch { events.post(.notice("\(error)")) }
            case .loadPreview(let path):
                previewQueue.async { [events] in
                    let preview = session.preview(path)
                    events.post(.previewLoaded(path: preview.path, lines: preview.lines, highlights: preview.highlights))
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
                session.prioritize(hashes)
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

    /// Runs a command (argv, looked up on PATH) on the terminal and waits for it.
    static func run(_ arguments: [String], name: String? = nil) {
        if let problem = TerminalCommand.run(arguments) {
            FileHandle.standardError.write(Data("qwery: cannot start \(name ?? arguments.first ?? ""): \(problem)\n".utf8))
        }
    }
}
