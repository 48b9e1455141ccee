import ArgumentParser
import Engine
import Foundation
import Indexing
import Search
import Store
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

    @Option(name: .long, help: "Colour theme from themes/ (dark, light, high-contrast, gruvbox, nord).")
    var theme: String?

    @Option(name: .long, help: "Start with this many embedding dimensions (MRL).")
    var dimensions: Int?

    @Option(name: .long, help: "Start with this instruction preset: notes, code, web, or one from the config file.")
    var preset: String?

    @Option(name: .customLong("rerank-depth"), help: "How many top results the reranker re-orders (default 10).")
    var rerankDepth: Int?

    @Option(name: .long, help: "Start with this query.")
    var query = ""

    @Flag(name: .customLong("no-watch"), help: "Do not index or watch the folders; search the index as it is.")
    var noWatch = false

    func run() throws {
        guard isatty(0) == 1 && isatty(1) == 1 else {
            throw ValidationError("qwery's search screen needs a terminal; for scripts use `qwery search QUERY --json`.")
        }
        let config = try ConfigFile.load()
        let database = try storage.open(verify: true)
        var roots = try folders.map(IndexCommand.absoluteFolder)
        if roots.isEmpty, let configured = config.folders { roots = try configured.map(IndexCommand.absoluteFolder) }
        if roots.isEmpty { roots = try database.roots().map(\.path) }
        if roots.isEmpty { roots = [try IndexCommand.absoluteFolder(".")] }

        let modelFolder = try models.embeddingFolder()
        let rerankerFolder = try models.rerankerFolder()
        let precision = engine.resolvedPrecision
        let rerankPrecision = engine.resolvedRerankPrecision
        let maximumTokens = engine.maximumTokens
        let ignore = Walker.globalExcludes() + (config.ignore ?? [])
        let maximumFileSize = Int64(config.maximumFileSize ?? 2_000_000)
        let watch = !noWatch
        // Models load in the background while the screen already searches lexically.
        let loadEngine: @Sendable () throws -> App.Engine = {
            // One gate for both models: queries and the rerank pass before the indexer's next layer.
            let scheduler = EngineScheduler()
            let embedder = try modelFolder.map { try Embedder(folder: $0, precision: precision, maximumTokens: maximumTokens) }
            let service = try SearchService(database: database, embedder: embedder, modelFolder: modelFolder, scheduler: scheduler)
            let rerankPass = try rerankerFolder.map { folder in
                RerankPass(reranker: try Reranker(folder: folder, precision: rerankPrecision, maximumTokens: maximumTokens),
                           modelIdentity: try ModelIdentity.compute(folder: folder), scheduler: scheduler)
            }
            var indexer: Indexer?
            if watch {
                let tokenizer = try embedder?.tokenizer ?? ModelOptions.bundledTokenizer()
                var options = Walker.Options()
                options.ignorePatterns = ignore
                options.maximumFileSize = maximumFileSize
                indexer = try Indexer(database: database, tokenizer: tokenizer, embedder: embedder, modelFolder: modelFolder,
                                      walker: Walker(options: options))
                indexer?.scheduler = scheduler
            }
            return App.Engine(service: service, rerankPass: rerankPass, indexer: indexer)
        }
        let environment = ProcessInfo.processInfo.environment
        let presets = InstructionPreset.builtIn + config.presets.map { InstructionPreset(name: $0.name, instruction: $0.instruction) }
        let presetName = preset ?? config.preset ?? "notes"
        guard let presetIndex = presets.firstIndex(where: { $0.name == presetName }) else {
            throw ValidationError("Unknown preset \(presetName); presets: \(presets.map(\.name).joined(separator: ", ")).")
        }
        let configuration = App.Configuration(
            roots: roots,
            theme: try Theme.load(named: theme ?? config.theme ?? "dark"),
            useColours: environment["NO_COLOR"].map { $0.isEmpty } ?? true,
            embeddingModelName: modelFolder.map(ModelLocator.displayName),
            rerankerModelName: rerankerFolder.map(ModelLocator.displayName),
            fullDimension: try modelFolder.map { try Qwen3Configuration(contentsOf: $0 + "/config.json").hiddenSize } ?? 1024,
            presets: presets,
            initialPreset: presetIndex,
            initialDimensions: dimensions ?? config.dimensions,
            rerankDepth: rerankDepth ?? config.rerankDepth ?? 10,
            initialQuery: query
        )
        let lexicalService = try SearchService(database: database, embedder: nil, model: nil)
        try App(configuration: configuration, lexicalService: lexicalService, loadEngine: loadEngine).run()
    }
}
