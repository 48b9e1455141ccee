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

    @Flag(name: .long, help: "Build a fresh index beside a damaged one, reusing every vector that can be read, then replace it.")
    var rebuild = false

    func run() throws {
        let config = try ConfigFile.load()
        if rebuild { return try rebuildIndex(config: config) }
        let database = try storage.open(verify: true)
        let roots = try Self.roots(folders, config: config, database: database)
        let indexer = try Self.makeIndexer(database: database, config: config, models: models, engine: engine,
                                           embed: !noEmbed, maximumFileSize: maximumFileSize)
        let progress = ProgressDisplay()
        // One writer per index: wait for a screen or another `qwery index` that holds it; by then most
        // chunks are embedded and this run embeds only what is still missing.
        let writer = try Self.writerLock(for: database) { progress.show($0) }
        defer { withExtendedLifetime(writer) {} }
        let summary = try indexer.run(roots: roots) { progress.show($0) }
        progress.finish(summary)
    }

    /// `--rebuild`: salvage, index into the staging file, then move it over the damaged one.
    private func rebuildIndex(config: ConfigFile) throws {
        let path = storage.path
        do {
            let (fresh, salvage) = try IndexRebuild.start(from: path)
            FileHandle.standardError.write(Data("qwery: rebuilding \(path): reused \(salvage.vectors) vectors and \(salvage.roots.count) folders of the old index\n".utf8))
            let roots = try Self.roots(folders, config: config, database: fresh)
            let indexer = try Self.makeIndexer(database: fresh, config: config, models: models, engine: engine,
                                               embed: !noEmbed, maximumFileSize: maximumFileSize)
            let progress = ProgressDisplay()
            let summary = try indexer.run(roots: roots) { progress.show($0) }
            progress.finish(summary)
        }
        // The staging database is closed here (its last reference went with the block above).
        try IndexRebuild.finish(path: path)
        FileHandle.standardError.write(Data("qwery: the rebuilt index replaced \(path)\n".utf8))
    }

    /// The folders to index: those named, else the config's, else those already in the index.
    static func roots(_ folders: [String], config: ConfigFile, database: AppDatabase) throws -> [String] {
        var roots = try folders.map(absoluteFolder)
        if roots.isEmpty, let configured = config.folders { roots = try configured.map(absoluteFolder) }
        if roots.isEmpty { roots = try database.roots().map(\.path) }
        guard !roots.isEmpty else {
            throw ValidationError("Name a folder to index, e.g. `qwery index ~/notes`.")
        }
        return roots
    }

    /// The indexer `index` and `watch` run: the embedding model when there is one (else lexical only, said on
    /// stderr), the config's ignore rules and size limit.
    static func makeIndexer(database: AppDatabase, config: ConfigFile, models: ModelOptions, engine: EngineOptions,
                            embed: Bool, maximumFileSize: Int64?) throws -> Indexer {
        let modelFolder = try models.embeddingFolder()
        let embedder: Embedder?
        if !embed {
            embedder = nil
        } else if let modelFolder {
            embedder = try Embedder(folder: modelFolder, precision: engine.resolvedPrecision, maximumTokens: engine.maximumTokens)
        } else {
            embedder = nil
            FileHandle.standardError.write(Data("qwery: no embedding model found; indexing lexically only (vectors are added when a model is available: --model DIR or QWERY_MODEL).\n".utf8))
        }
        let tokenizer = try embedder?.tokenizer ?? modelFolder.map(TokenizerLocation.load) ?? ModelOptions.bundledTokenizer()
        var options = Walker.Options()
        options.maximumFileSize = maximumFileSize ?? Int64(config.maximumFileSize ?? 2_000_000)
        options.ignorePatterns = Walker.globalExcludes() + (config.ignore ?? [])
        return try Indexer(database: database, tokenizer: tokenizer, embedder: embedder,
                           modelFolder: embedder == nil ? nil : modelFolder, walker: Walker(options: options))
    }

    /// The index's writer lock, waiting for its holder (told through `report`) when another process has it.
    static func writerLock(for database: AppDatabase, report: (IndexEvent) -> Void) throws -> IndexWriterLock {
        if let lock = IndexWriterLock.acquire(databasePath: database.path) { return lock }
        report(.followingWriter(pid: IndexWriterLock.holder(databasePath: database.path)))
        guard let lock = IndexWriterLock.wait(databasePath: database.path) else {
            throw ValidationError("Cannot create \(IndexWriterLock.lockPath(for: database.path)): check the folder's permissions.")
        }
        return lock
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

    /// The index file: --db, else the default location.
    var path: String { db.map { ($0 as NSString).expandingTildeInPath } ?? AppDatabase.defaultPath }

    /// Opens the index; commands that only read pass `.readOnly`, so they never create or change a file.
    /// Long-running commands `verify` it first (SQLite quick_check) rather than write into a damaged file.
    func open(_ access: AppDatabase.Access = .readWrite, verify: Bool = false) throws -> AppDatabase {
        try AppDatabase(path: path, access: access, verify: verify)
    }
}
