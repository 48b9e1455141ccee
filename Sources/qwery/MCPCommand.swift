import ArgumentParser
import Engine
import Foundation
import Indexing
import MCP
import MCPServer
import Search
import Store

/// `qwery mcp [FOLDER...]`: a Model Context Protocol server over stdio for coding agents and editors. Nothing
/// but JSON-RPC goes to stdout; log lines go to stderr. While it runs the index stays fresh: it indexes and
/// watches the folders, or follows the process that holds the index's writer lock.
struct MCPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve search, get, similar and status to agents over the Model Context Protocol (stdio)."
    )

    @Argument(help: "Folders to serve (default: the folders already in the index).")
    var folders: [String] = []

    @OptionGroup var storage: StorageOptions
    @OptionGroup var models: ModelOptions
    @OptionGroup var engine: EngineOptions

    @Flag(name: .customLong("no-watch"), help: "Serve the index as it is: no indexing, no watching.")
    var noWatch = false

    func run() async throws {
        let config = try ConfigFile.load()
        // Never a new empty index by mistake: without folders an index must exist already.
        let database = try storage.open(folders.isEmpty ? .readOnly : .readWrite, verify: true)
        let roots = try IndexCommand.roots(folders, config: config, database: database)
        let scheduler = EngineScheduler()
        let modelFolder = try models.embeddingFolder()
        let embedder = try modelFolder.map { try Embedder(folder: $0, precision: engine.resolvedPrecision, maximumTokens: engine.maximumTokens) }
        let service = try SearchService(database: database, embedder: embedder, modelFolder: modelFolder, scheduler: scheduler)
        let rerankerFolder = try models.rerankerFolder()
        let rerankPass = try rerankerFolder.map { folder in
            RerankPass(reranker: try Reranker(folder: folder, precision: engine.resolvedRerankPrecision, maximumTokens: engine.maximumTokens),
                       modelIdentity: try ModelIdentity.compute(folder: folder), scheduler: scheduler)
        }
        var live: LiveIndex?
        if !noWatch && !database.isReadOnly {
            let indexer = try IndexCommand.makeIndexer(database: database, config: config, models: models, engine: engine,
                                                       embed: true, maximumFileSize: nil)
            indexer.scheduler = scheduler
            indexer.vectorsSaved = { service.appendVectors($0) }
            let index = LiveIndex(indexer: indexer, roots: roots) { event in WatchCommand.log(event, prefix: "qwery mcp") }
            index.onFollow = { _ = try? service.refreshVectorsIfChanged() }
            try index.start()
            live = index
        }
        let context = ToolContext(database: database, roots: roots, service: service, rerankPass: rerankPass,
                                  embeddingModel: modelFolder.map(ModelLocator.displayName),
                                  rerankerModel: rerankerFolder.map(ModelLocator.displayName),
                                  isUpdating: { [live] in live?.isBusy ?? false })
        let server = await QweryServer.make(tools: QweryTools(context: context), version: Qwery.configuration.version)
        WatchCommand.log("serving \(roots.joined(separator: ", ")) over stdio (index \(database.path))", prefix: "qwery mcp")
        try await server.start(transport: StdioTransport())
        await server.waitUntilCompleted()
        live?.stop()
    }
}
