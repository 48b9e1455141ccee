import Corpus
import Engine
import Foundation
import Indexing
import Search
import Syntax
import Store
import Synchronization
import Tokenizers

/// One opened index with its folders and models: what every face of qwery (the screen, the commands,
/// the MCP server) works through. It owns the engine slot — the embedding model and the reranker, each
/// loaded once, on first use — and the `EngineScheduler` every embedding and rerank request of this
/// process goes through, so people's queries pause the indexer's batches, whoever asks.
package final class Library: Sendable {
    package let settings: Settings
    let database: AppDatabase
    /// The engine slot: each model loaded once, on first use.
    package let models: ModelSlot
    /// Every embedding and rerank request of this process goes through it, people's before the indexer's.
    var scheduler: EngineScheduler { models.scheduler }
    /// One line for the user that is not an error (no model found, a precision that runs as another).
    private let notice: @Sendable (String) -> Void
    private let loadedSearch = Mutex<SearchService?>(nil)
    private let registeredModel = Mutex<ModelRecord??>(nil)

    /// Opens (or with `.readWrite` creates) the index of `settings`. `verify` runs SQLite's quick_check
    /// first, for commands that will write for a long time.
    package convenience init(settings: Settings, access: AppDatabase.Access = .readWrite, verify: Bool = false,
                            notice: @escaping @Sendable (String) -> Void = { _ in },
                            progress: (@Sendable (String?) -> Void)? = nil) throws {
        self.init(settings: settings, database: try AppDatabase(path: settings.indexPath.value, access: access, verify: verify),
                  notice: notice, progress: progress)
    }

    /// Over an index already open (a rebuild's staging file, a test's temporary index).
    /// `progress`: where work under way is shown (a precision being measured, with its time estimate; nil when done).
    package init(settings: Settings, database: AppDatabase, notice: @escaping @Sendable (String) -> Void = { _ in },
                progress: (@Sendable (String?) -> Void)? = nil) {
        self.settings = settings
        self.notice = notice
        self.database = database
        models = ModelSlot(settings: settings, announce: notice, progress: progress)
        for note in settings.notes { notice(note) }
    }

    // MARK: - Folders

    /// The folders to work on: those named, else the config's, else those already in the index.
    package func roots(naming folders: [String]) throws -> [String] {
        var roots = try folders.map(Self.absoluteFolder)
        if roots.isEmpty, let configured = settings.config.folders { roots = try configured.map(Self.absoluteFolder) }
        if roots.isEmpty { roots = try database.roots().map(\.path) }
        guard !roots.isEmpty else { throw SettingsError.noFolders }
        return roots
    }

    /// A folder as the index stores it: absolute, `~` expanded, links resolved; it must exist.
    package static func absoluteFolder(_ path: String) throws -> String {
        let expanded = (path as NSString).expandingTildeInPath
        let absolute = expanded.hasPrefix("/") ? expanded : FileManager.default.currentDirectoryPath + "/" + expanded
        let standardized = URL(fileURLWithPath: absolute).standardizedFileURL.resolvingSymlinksInPath().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: standardized, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw SettingsError.invalidValue("\(path) is not a folder.")
        }
        return standardized
    }

    // MARK: - The engine slot

    /// The embedding model, loaded on first use; nil when there is none (lexical search only).
    func embedder() throws -> Embedder? { try models.embedder() }

    /// The rerank pass over the reranker, loaded on first use; nil when there is no reranker.
    func rerankPass() throws -> RerankPass? { try models.rerankPass() }

    /// Hybrid search with the query embedder (loading the model on first use) and the live vectors.
    func searchService() throws -> SearchService {
        if let service = loadedSearch.withLock({ $0 }) { return service }
        let embedder = try embedder()
        let service = try SearchService(database: database, embedder: embedder, model: try embeddingModelRecord(embedder),
                                        scheduler: scheduler, defaultRanking: RankingSettings.ranking(settings.config))
        return loadedSearch.withLock { slot in
            if let service = slot { return service }
            slot = service
            return service
        }
    }

    /// The embedding model's row in this index (its vectors are stored under it), hashed and registered once
    /// per process and shared by search and the indexer; nil without a model. A read-only index is only read.
    func embeddingModelRecord(_ embedder: Embedder?) throws -> ModelRecord? {
        guard let embedder, let folder = settings.embeddingModel.value else { return nil }
        return try registeredModel.withLock { slot in
            if let known = slot { return known }
            let record = try database.model(forFolder: folder, dimension: embedder.model.configuration.hiddenSize)
            slot = .some(record)
            return record
        }
    }

    /// Lexical search only, at once: what the screen answers with while the models load.
    func lexicalService() throws -> SearchService {
        try SearchService(database: database, embedder: nil, model: nil, defaultRanking: RankingSettings.ranking(settings.config))
    }

    /// Search over the stored vectors of the embedding model without loading it (`similar`).
    func storedVectorService() throws -> SearchService {
        guard let folder = settings.embeddingModel.value else {
            throw SettingsError.invalidValue("similar reads the stored vectors of the embedding model: name it with --model or QWERY_MODEL.")
        }
        let model = try database.model(identity: ModelIdentity.compute(folder: folder))
        return try SearchService(database: database, embedder: nil, model: model, defaultRanking: RankingSettings.ranking(settings.config))
    }

    /// The search pipeline over this index: the search service and, when `rerank` and there is a reranker,
    /// the rerank pass (loading each on first use).
    package func pipeline(rerank: Bool = true) throws -> SearchPipeline {
        SearchPipeline(service: try searchService(), rerankPass: rerank ? try rerankPass() : nil)
    }

    /// A job's final results (all stages): what `qwery search`, `similar` and MCP print. A query of filters
    /// alone is a listing: it loads no model.
    func search(_ job: SearchJob) throws -> [SearchResult] {
        if job.isListing { return try SearchPipeline(service: lexicalService(), rerankPass: nil).results(job) }
        return try pipeline(rerank: job.rerank).results(job)
    }

    /// What `qwery search`, MCP `search` and the server answer: the job `parameters` describe, cut to its limit.
    package func search(_ parameters: SearchParameters) throws -> [SearchResult] {
        Array(try search(parameters.job()).prefix(parameters.limit))
    }

    /// More like a chunk (or a file): over the vectors this process already searches when it loaded them (a
    /// watcher, an MCP session), else over the stored vectors without loading the model (`qwery similar`).
    package func similar(_ parameters: SimilarParameters) throws -> [SearchResult] {
        let service = try loadedSearch.withLock({ $0 }) ?? storedVectorService()
        return try SearchPipeline(service: service, rerankPass: nil).results(parameters.job())
    }

    /// A search stage by stage, as the screen runs it (through the server, `QueryServer` streams this): the
    /// lexical stage at once, then — a keystroke later unless `isCancelled` — semantic fusion and the rerank pass,
    /// each update to `update`. The same job and pipeline as the screen's own (`ScreenSession`).
    func stream(_ parameters: SearchParameters, isCancelled: @escaping @Sendable () -> Bool,
                update: (SearchUpdate) -> Void) throws {
        let job = parameters.job()
        let pipeline = try pipeline(rerank: true)
        let prepared = try pipeline.prepare(job, isCancelled: isCancelled)
        try pipeline.run(job, stages: .lexical, prepared: prepared, update: update)
        if parameters.typing == true {
            // Let a burst of keystrokes settle: the next one closes this connection and this query is not embedded.
            for _ in 0..<6 where !isCancelled() { usleep(ScreenSession.settleMicroseconds / 6) }
        }
        guard !isCancelled() else { return }
        try pipeline.run(job, stages: .ranking, prepared: prepared, isCancelled: isCancelled, update: update)
    }

    /// Whether the search this process loaded has a semantic stage (nil: not loaded yet).
    var loadedSearchHasSemantic: Bool? { loadedSearch.withLock { $0 }?.hasSemanticSearch }
    /// How the rerank pass orders (by the reranker's size, read from its config when not loaded yet); nil without one.
    var rerankPolicy: RerankPolicy? {
        models.loadedRerankPolicy ?? settings.reranker.value.flatMap(ModelLocator.hiddenSize).map(RerankPolicy.forReranker)
    }

    /// Loads both models and the stored vectors now, so the first search waits for none of it.
    package func loadModels() throws {
        _ = try searchService()
        _ = try rerankPass()
    }

    /// How many vectors semantic search reaches in this process (loading them when not yet loaded).
    package func searchableVectors() throws -> Int { try searchService().vectorCount }

    /// Lines `startLine…endLine` of a file (all of it by default), read only when its real path is inside
    /// `roots`, it is a regular file and the index would hold it (not hidden, ignored or over the size
    /// limit): what `get` answers agents with, and what the screen previews.
    package func read(_ path: String, startLine: Int? = nil, endLine: Int? = nil, locator: Locator? = nil,
                     within roots: [String], maximumBytes: Int = RootedFile.maximumBytes) throws(RootedFile.Refusal) -> RootedText {
        let walker = walker
        return try RootedFile(roots: roots).read(path, startLine: startLine, endLine: endLine, locator: locator, documentText: documentText,
                                                 maximumBytes: maximumBytes, exclusion: { walker.exclusion(of: $0, root: $1) })
    }

    /// The walker with this index's rules: ignore files, the config's patterns, hidden files, size limits.
    var walker: Walker {
        var options = Walker.Options()
        options.maximumFileSize = settings.maximumFileSize
        options.maximumDocumentSize = DocumentSettings.maximumDocumentSize(settings.config)
        options.ignorePatterns = settings.extraIgnorePatterns
        options.followLinksWithinRoot = settings.followSymlinks
        let index = URL(fileURLWithPath: database.path).standardizedFileURL.resolvingSymlinksInPath().path
        options.ownFiles = Set([index, database.path].flatMap { path in
            ["", "-wal", "-shm", "-journal", ".lock"].map { path + $0 }
        })
        return Walker(options: options)
    }

    /// The text extracted from the document at `path` (a real path) when it was indexed; nil for any other file.
    package func documentText(_ path: String) -> String? {
        try? database.documentText(path: path)
    }

    /// How much of the index semantic search covers: vectors of the embedding model over distinct chunks.
    /// Why `dimensions` cannot be searched with this index's embedding model (nil: it can, or there is no model).
    package func dimensionProblem(_ dimensions: Int?) throws -> String? {
        guard let dimensions, let embedder = try embedder() else { return nil }
        let full = embedder.model.configuration.hiddenSize
        if dimensions > full { return "--dimensions \(dimensions) is larger than the model's \(full)." }
        if dimensions < min(32, full) {
            return "--dimensions \(dimensions) is too small: Qwen3-Embedding's MRL sizes start at 32 (32, 64, 128, 256, 512, 768 or \(full))."
        }
        return nil
    }

    /// What a search says on stderr before its results: search is lexical only (no model, or no vectors yet), or
    /// results are not reranked for want of a reranker.
    package func searchNotes(rerank: Bool) throws -> [String] {
        var notes: [String] = []
        if !(try searchService().hasSemanticSearch) {
            notes.append(try embedder() == nil ? "no embedding model (--model or QWERY_MODEL): lexical results only"
                                               : "no vectors for this model yet (run qwery index with it): lexical results only")
        }
        if rerank, settings.reranker.value == nil { notes.append("no reranker (--reranker or QWERY_RERANKER): results are not reranked") }
        return notes
    }

    /// How much of the index semantic search reaches: vectors searched, and distinct chunk contents (kept by the
    /// search service while the indexed files are the same, the count fusion weighs by).
    package func coverage() throws -> (vectors: Int, chunks: Int) {
        let service = try searchService()
        return (service.vectorCount, try service.distinctContentCount())
    }

    // MARK: - Indexing

    /// The indexer over this index: the embedding model when there is one and `embed` (else lexical only,
    /// said once through the notice), the folders' ignore rules plus the config's, the size limit; its
    /// batches go through the scheduler, after people's queries.
    func makeIndexer(embed: Bool = true, shouldStop: (@Sendable () -> Bool)? = nil) throws -> Indexer {
        let folder = settings.embeddingModel.value
        let embedder = embed ? try embedder() : nil
        if embed && folder == nil {
            notice("no embedding model found; indexing lexically only (vectors are added when a model is available: --model DIR or QWERY_MODEL)")
        }
        let tokenizer = try embedder?.tokenizer ?? folder.map(TokenizerLocation.load) ?? Self.bundledTokenizer()
        var configuration = Indexer.Configuration()
        configuration.scheduler = scheduler
        configuration.shouldStop = shouldStop
        configuration.extraction.limits = DocumentSettings.limits(settings.config)
        // The executable's syntax worker, when it set one (tests parse in-process).
        configuration.syntaxWorker = SyntaxWorkerClient.makeDefault()
        return Indexer(database: database, tokenizer: tokenizer, embedder: embedder, model: try embeddingModelRecord(embedder),
                       walker: walker, configuration: configuration)
    }

    /// Indexes `roots`, then keeps them fresh (or follows the process that holds the writer lock), feeding
    /// `service` when this process also searches; every event goes to `emit` (see `LiveSession`'s event map).
    /// `shouldStop` ends a run between files or batches.
    package func startLiveSession(roots: [String], feedsSearch: Bool, shouldStop: (@Sendable () -> Bool)? = nil,
                                 emit: @escaping @Sendable (LibraryEvent) -> Void) throws -> LiveSession {
        try LiveSession(library: self, roots: roots, feeding: feedsSearch ? try searchService() : nil, shouldStop: shouldStop, emit: emit)
    }

    // MARK: - Tokenizer without a model

    /// Without a model, chunk sizes are still counted with the Qwen3 tokenizer when one is at hand
    /// (QWERY_TOKENIZER, else the repository's fixture beside the binary). Nil when there is none: chunk
    /// sizes are then estimated (`Chunker.estimatedTokenCount`) and lexical indexing works all the same.
    package static func bundledTokenizer() throws -> Tokenizer? {
        try bundledTokenizerPath().map(TokenizerLocation.load)
    }

    /// QWERY_TOKENIZER, else the Qwen3 tokenizer of the repository the binary was built in.
    package static func bundledTokenizerPath() -> String? {
        if let path = Environment.value("QWERY_TOKENIZER") { return path }
        let candidates = [
            FileManager.default.currentDirectoryPath + "/Tests/Fixtures/tokenizer/qwen3-tokenizer.json",
            (CommandLine.arguments[0] as NSString).deletingLastPathComponent + "/../../Tests/Fixtures/tokenizer/qwen3-tokenizer.json",
        ]
        return candidates.first(where: FileManager.default.fileExists)
    }
}
