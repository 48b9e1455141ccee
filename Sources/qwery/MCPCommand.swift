import ArgumentParser
import Foundation
import MCPServer
import QweryCore

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
    @OptionGroup var walking: WalkOptions

    @Flag(name: .customLong("no-watch"), help: "Serve the index as it is: no indexing, no watching.")
    var noWatch = false

    @Flag(name: .customLong("no-daemon"), help: "Load the models in this process even when a running qwery watch serves this index.")
    var noDaemon = false

    func run() async throws {
        // Never a new empty index by mistake: without folders an index must exist already.
        let library = try Library.open(storage: storage, models: models, engine: engine, walking: walking,
                                       access: folders.isEmpty ? .readOnly : .readWrite, verify: true)
        let roots = try library.roots(naming: folders)
        // A running `qwery watch` of this index keeps it fresh and answers searches warm: this session then loads no
        // model and indexes nothing itself (one copy of the models however many agent sessions run).
        let server = noDaemon ? nil : QueryServerClient(library: library)
        let served = server?.info() != nil
        let live: LiveSession?
        if served {
            live = nil
            WatchCommand.log("searches go to the running qwery watch of this index", prefix: "qwery mcp")
        } else {
            try library.loadModels()  // before the first call, not during it
            live = noWatch || library.isReadOnly ? nil
                : try library.startLiveSession(roots: roots, feedsSearch: true) { WatchCommand.log($0, prefix: "qwery mcp") }
        }
        let context = ToolContext(library: library, roots: roots, isUpdating: { [live] in live?.isBusy ?? false },
                                  server: served ? server : nil)
        WatchCommand.log("serving \(roots.joined(separator: ", ")) over stdio (index \(library.indexPath))", prefix: "qwery mcp")
        try await QweryServer.serve(tools: QweryTools(context: context), version: Qwery.configuration.version)
        live?.stop()
    }
}
