import ArgumentParser
import Engine
import Foundation
import Indexing
import Store
import Tokenizers

/// `qwery index FOLDER...`: bring the index up to date with folders (the TUI runs the same code).
struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Index folders: new and changed files are chunked and embedded, deleted ones removed."
    )

    @Argument(help: "Folders to index (default: the folders already in the index).")
    var folders: [String] = []

    @OptionGroup var storage: StorageOptions
    @OptionGroup var models: ModelOptions
    @OptionGroup var engine: EngineOptions

    @Option(name: .customLong("max-file-size"), help: "Skip files larger than this many bytes (default 2,000,000).")
    var maximumFileSize: Int64?

    @Flag(name: .long, help: "Only update the lexical index; leave embedding for later.")
    var noEmbed = false

    func run() throws {
        let config = try ConfigFile.load()
        let database = try storage.open()
        var roots = try folders.map(Self.absoluteFolder)
        if roots.isEmpty, let configured = config.folders { roots = try configured.map(Self.absoluteFolder) }
        if roots.isEmpty { roots = try database.roots().map(\.path) }
        guard !roots.isEmpty else {
            throw ValidationError("Name a folder to index, e.g. `qwery index ~/notes`.")
        }
        let tokenizerSource = try models.embeddingFolder() ?? ModelOptions.bundledTokenizerHint()
        let embedder: Embedder?
        if noEmbed {
            embedder = nil
        } else if let folder = try models.embeddingFolder() {
            embedder = try Embedder(folder: folder, precision: engine.resolvedPrecision, maximumTokens: engine.maximumTokens)
        } else {
            embedder = nil
            FileHandle.standardError.write(Data("qwery: no embedding model found; indexing lexically only (vectors are added when a model is available: --model DIR or QWERY_MODEL).\n".utf8))
        }
        let tokenizer = try embedder?.tokenizer ?? TokenizerLocation.load(tokenizerSource)
        var options = Walker.Options()
        options.maximumFileSize = maximumFileSize ?? Int64(config.maximumFileSize ?? 2_000_000)
        options.ignorePatterns = Walker.globalExcludes() + (config.ignore ?? [])
        let indexer = try Indexer(database: database, tokenizer: tokenizer, embedder: embedder,
                                  modelFolder: embedder == nil ? nil : try models.embeddingFolder(), walker: Walker(options: options))
        let progress = ProgressDisplay()
        let summary = try indexer.run(roots: roots) { progress.show($0) }
        progress.finish(summary)
    }

    static func absoluteFolder(_ path: String) throws -> String {
        let expanded = (path as NSString).expandingTildeInPath
        let absolute = expanded.hasPrefix("/") ? expanded : FileManager.default.currentDirectoryPath + "/" + expanded
        let standardized = URL(fileURLWithPath: absolute).standardizedFileURL.resolvingSymlinksInPath().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: standardized, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("\(path) is not a folder.")
        }
        return standardized
    }
}

/// `--db PATH`: where the index lives.
struct StorageOptions: ParsableArguments {
    @Option(name: .long, help: "The index file (default: $XDG_DATA_HOME/qwery/index.sqlite).")
    var db: String?

    /// Opens the index; commands that only read pass `.readOnly`, so they never create or change a file.
    func open(_ access: AppDatabase.Access = .readWrite) throws -> AppDatabase {
        try AppDatabase(path: db.map { ($0 as NSString).expandingTildeInPath } ?? AppDatabase.defaultPath, access: access)
    }
}
