import ArgumentParser
import Foundation
import QweryCore
import TUI

/// `qwery [FOLDER...]`: the live search TUI over folders, indexed and watched in the background.
struct OpenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Search folders live in the terminal (the default command: `qwery FOLDER...`)."
    )

    @Argument(help: "Folders to search and watch (default: the folders already indexed, else this folder).")
    var folders: [String] = []

    @OptionGroup var storage: StorageOptions
    @OptionGroup var models: ModelOptions
    @OptionGroup var engine: EngineOptions
    @OptionGroup var walking: WalkOptions

    @Option(name: .long, help: "Colour theme from themes/ (dark, light, high-contrast, gruvbox, nord).")
    var theme: String?

    @Option(name: .long, help: "Start with this many embedding dimensions (MRL).")
    var dimensions: Int?

    @Option(name: .long, help: "Start with this instruction preset: notes, code, web, docs, or one from the config file.")
    var preset: String?

    @Option(name: .customLong("rerank-depth"), help: "How many top results the reranker re-orders (default 10).")
    var rerankDepth: Int?

    @Option(name: .long, help: "Start with this query.")
    var query = ""

    @Flag(name: .customLong("no-watch"), help: "Do not index or watch the folders; search the index as it is.")
    var noWatch = false

    @Flag(name: .customLong("no-daemon"), help: "Load the models in this screen even when a running qwery watch serves this index.")
    var noDaemon = false

    func validate() throws {
        try OptionBounds.check("--dimensions", dimensions, in: OptionBounds.dimensions)
        try OptionBounds.check("--rerank-depth", rerankDepth, in: OptionBounds.rerankDepth)
    }

    func run() throws {
        guard isatty(0) == 1 && isatty(1) == 1 else {
            throw ValidationError("qwery's search screen needs a terminal; for scripts use `qwery search QUERY --json`.")
        }
        // What the core says once the screen is up (a precision being measured) goes to the status bar.
        let notices = ScreenNotices()
        let library = try Library.open(storage: storage, models: models, engine: engine, walking: walking, verify: true,
                                       notice: { notices.send($0) }, progress: { notices.sendProgress($0) })
        let config = library.settings.config
        // The folders named, else the config's, else the index's, else this folder.
        let roots: [String]
        do { roots = try library.roots(naming: folders) } catch SettingsError.noFolders { roots = [try Library.absoluteFolder(".")] }
        let presets = library.presets
        let preset = try library.preset(named: self.preset)
        let configuration = App.Configuration(
            roots: roots,
            theme: try Theme.load(named: theme ?? config.theme ?? "dark"),
            useColours: ProcessInfo.processInfo.environment["NO_COLOR"].map { $0.isEmpty } ?? true,
            embeddingModelName: library.settings.embeddingModel.value.map(ModelLocator.displayName),
            rerankerModelName: library.settings.reranker.value.map(ModelLocator.displayName),
            fullDimension: try library.embeddingDimension() ?? 1024,
            presets: presets,
            initialPreset: presets.firstIndex(of: preset) ?? 0,
            initialDimensions: dimensions ?? config.dimensions,
            rerankDepth: rerankDepth ?? config.rerankDepth ?? SearchParameters.defaultRerankDepth,
            initialQuery: query,
            pdfViewer: config.pdfViewer
        )
        let options = ScreenSession.Options(roots: roots, watch: !noWatch, rerankDepth: configuration.rerankDepth, useServer: !noDaemon)
        try App(configuration: configuration, notices: notices) { post in try ScreenSession(library: library, options: options, post: post) }.run()
    }
}
