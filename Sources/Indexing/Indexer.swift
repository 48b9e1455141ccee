import Corpus
import Checksums
import Documents
import Engine
import Foundation
import Synchronization
import Store
import Syntax
import Tokenizers

/// Brings the index up to date with folders: a stat scan finds new, changed and deleted files;
/// changed files are re-chunked and saved one transaction each; chunks whose content has no vector
/// yet are embedded in batches. `qwery index` and the TUI's background indexer share this code.
package final class Indexer: Sendable {
    /// How an indexer works, set once in `init`.
    package struct Configuration: Sendable {
        package var embeddingBatchSize = 16
        /// With a scheduler, embedding is background work that gives way to queries between layers.
        package var scheduler: EngineScheduler?
        /// Asked between files and between embedding batches: when true the run ends there, every file and
        /// batch before it committed whole (`qwery watch` on SIGTERM); the next run picks up the rest.
        package var shouldStop: (@Sendable () -> Bool)?
        /// Runs document extraction (PDF, DOCX, ODT, EPUB, HTML, notebooks) in worker processes under caps.
        package var extraction = ExtractionClient()
        /// Parses code in `qwery syntax-worker` (the executable's); nil: in this process (tests, tools).
        package var syntaxWorker: SyntaxWorkerClient?

        package init() {}
    }

    package let database: AppDatabase
    package let chunker: Chunker
    package let walker: Walker
    /// Without an embedder the index is lexical only; vectors are filled in when a model appears.
    package let embedder: Embedder?
    private let model: ModelRecord?
    package let embeddingBatchSize: Int
    package let scheduler: EngineScheduler?
    package let shouldStop: (@Sendable () -> Bool)?
    package let extraction: ExtractionClient
    /// Chunk contents to embed before the rest (the screen's current results); replaced by each call.
    private let urgent = Mutex<[Data]>([])
    /// Scans finished so far, so an embedding pass knows when to count what is pending again.
    private let scansDone = Mutex(0)

    /// Embeds these chunk contents (those still without a vector) before the rest of the queue.
    package func prioritize(_ hashes: [Data]) {
        urgent.withLock { $0 = hashes }
    }

    /// An indexer storing vectors for `model` (the embedder's row in the index; nil: lexical only).
    package init(database: AppDatabase, tokenizer: Tokenizer?, embedder: Embedder?, model: ModelRecord?, walker: Walker = Walker(),
                configuration: Configuration = Configuration()) {
        self.database = database
        var chunker = Chunker(tokenizer: tokenizer)
        chunker.syntaxWorker = configuration.syntaxWorker
        self.chunker = chunker
        self.walker = walker
        self.embedder = embedder
        self.model = embedder == nil ? nil : model
        embeddingBatchSize = configuration.embeddingBatchSize
        scheduler = configuration.scheduler
        shouldStop = configuration.shouldStop
        extraction = configuration.extraction
    }

    /// An indexer that registers the model of `modelFolder` itself (tools and tests; the Library registers once).
    package convenience init(database: AppDatabase, tokenizer: Tokenizer?, embedder: Embedder?, modelFolder: String?,
                            walker: Walker = Walker(), configuration: Configuration = Configuration()) throws {
        let record = try embedder.flatMap { embedder in
            try modelFolder.flatMap { try database.model(forFolder: $0, dimension: embedder.model.configuration.hiddenSize) }
        }
        self.init(database: database, tokenizer: tokenizer, embedder: embedder, model: record, walker: walker, configuration: configuration)
    }

    /// The model vectors are stored for, when there is one.
    package var modelRecord: ModelRecord? { model }

    /// Indexes `roots` (absolute folder paths), then embeds what lacks a vector.
    @discardableResult
    package func run(roots: [String], report: (IndexEvent) -> Void = { _ in }) throws -> IndexSummary {
        var summary = IndexSummary()
        guard try scan(roots: roots, into: &summary, report: report) else { return summary }
        try complete(&summary, report: report)
        return summary
    }

    /// The files of `roots` brought up to date — new and changed ones chunked and saved (searchable lexically at
    /// once), deleted ones removed — without embedding. False when the index file is gone (said in `report`).
    /// `LiveIndex` runs scans beside an embedding pass, so a file saved during a long first index is searchable
    /// within a second; scans never overlap one another.
    @discardableResult
    package func scan(roots: [String], into summary: inout IndexSummary, report: (IndexEvent) -> Void) throws -> Bool {
        guard !database.isDetached else {
            report(.problem(Self.detachedMessage(database.path)))
            return false
        }
        defer { scansDone.withLock { $0 += 1 } }
        for root in roots {
            try index(root: root, among: roots, summary: &summary, report: report)
        }
        return true
    }

    /// The end of a run: embeds what lacks a vector (newest files first, so what a scan just saved comes next),
    /// drops vectors and document texts no file uses any more, and reports the run finished.
    package func complete(_ summary: inout IndexSummary, report: (IndexEvent) -> Void) throws {
        try embedPending(summary: &summary, report: report)
        summary.vectorsRemoved += try database.removeUnusedVectors()
        try database.removeUnusedDocumentTexts()
        report(.finished(summary))
    }

    // MARK: - Files

    /// A root that is missing or came back empty keeps what is indexed under it (an unmounted disk).
    static func keptMessage(_ root: String) -> String {
        "\((root as NSString).lastPathComponent): folder is empty or missing — nothing removed (\(root))"
    }

    static func unreadableRootMessage(_ root: String) -> String {
        "cannot read the folder \(root) — nothing under it was removed from the index; check its permissions (ls -ld '\(root)')"
    }

    /// Writing on would fill a deleted file; the next process recreates the index.
    static func detachedMessage(_ path: String) -> String {
        "the index file \(path) was deleted or replaced while qwery ran; nothing more is written to it. Restart qwery (or run qwery index) to recreate it."
    }

    /// A file under two roots (`notes` and `notes/work`) belongs to the deepest one: the walk of the outer root
    /// leaves the inner root's files to it, so neither run takes them from the other (each run re-indexed them).
    private func index(root: String, among roots: [String], summary: inout IndexSummary, report: (IndexEvent) -> Void) throws {
        let inner = Set(roots + ((try? database.roots().map(\.path)) ?? [])).filter { $0 != root && $0.hasPrefix(root + "/") }
            .map { PathKey($0 + "/").bytes }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            // A missing root (unmounted disk, typo) must not wipe what is indexed under it.
            report(.problem(Self.keptMessage(root)))
            return
        }
        report(.scanning(root: root))
        let rootRecord = try database.addRoot(path: root)
        guard let rootId = rootRecord.id else { return }
        var known = try database.files(rootId: rootId)
        if !inner.isEmpty {
            // Files an inner root holds are its own, not deleted from this one (an older index filed them here).
            known = known.filter { key, _ in !inner.contains { key.bytes.starts(with: $0) } }
        }
        var changed: [(file: WalkedFile, previous: FileRecord?)] = []
        var unexamined: [String] = []
        var seenHere = 0
        walker.walk(root: root) { file in
            if !inner.isEmpty, inner.contains(where: { PathKey(file.path).bytes.starts(with: $0) }) { return }
            summary.filesSeen += 1
            seenHere += 1
            if file.isUnexamined { unexamined.append(file.path) }
            let previous = known.removeValue(forKey: PathKey(file.path))
            // Same size and time: unchanged, unless the walk now skips it for a new reason (a lower size limit),
            // or it was skipped for a reason a chmod clears without touching the file (retried every run).
            if let previous, previous.size == file.size, previous.modifiedAt == file.modifiedAt, !chunkingChanged(previous),
               file.skipReason == nil || previous.skipReason == file.skipReason,
               file.skipReason != nil || !FileContents.Problem.mayClearWithoutChange(previous.skipReason),
               extraction.limits.stillApplies(toSkipReason: previous.skipReason) {
                summary.filesUnchanged += 1
                return
            }
            changed.append((file, previous))
        }
        if seenHere == 0 && !known.isEmpty {
            // An empty mount point or a failed network mount looks like a folder whose files were all deleted.
            report(.problem(Self.keptMessage(root)))
            return
        }
        if unexamined.contains(root) {
            // An unreadable root says nothing about its files: keep them all, and say so.
            summary.unreadableRoots.append(root)
            report(.problem(Self.unreadableRootMessage(root)))
            known = [:]
        } else if !unexamined.isEmpty {
            // Files below a folder that could not be listed (or an entry that could not be examined) are kept.
            let prefixes = unexamined.map { PathKey($0 + "/").bytes }
            known = known.filter { key, _ in !prefixes.contains { key.bytes.starts(with: $0) } }
        }
        for (offset, change) in changed.enumerated() {
            if shouldStop?() == true { return }
            try update(change.file, previous: change.previous, rootId: rootId, summary: &summary, done: offset + 1,
                       total: changed.count, report: report)
        }
        let deleted = known.values.compactMap { file -> Int64? in
            report(.removed(path: file.path))
            return file.id
        }
        try database.deleteFiles(ids: deleted)
        summary.filesRemoved += deleted.count
    }

    /// Indexes one new or changed file; `previous` is its record from the scan (nil when new).
    private func update(_ file: WalkedFile, previous: FileRecord?, rootId: Int64, summary: inout IndexSummary, done: Int, total: Int,
                        report: (IndexEvent) -> Void) throws {
        func skip(_ reason: String) throws {
            try saveSkipped(file, rootId: rootId, reason: reason, summary: &summary, report: report)
        }
        if let reason = file.skipReason {
            try skip(reason)
            return
        }
        if let format = DocumentFormat(path: file.path) {
            try updateDocument(file, format: format, previous: previous, rootId: rootId, summary: &summary, done: done, total: total,
                               report: report)
            return
        }
        let contents: FileContents
        switch FileContents.read(path: file.readPath ?? file.path, limit: walker.options.maximumFileSize) {
        case .success(let read): contents = read
        case .failure(.vanished): return  // deleted since the scan; the next scan forgets it
        case .failure(let problem): try skip(problem.reason); return
        }
        let contentHash = SHA256.hash(contents.bytes)
        if let previous, previous.status == .indexed, previous.contentHash == contentHash {
            if !chunkingChanged(previous), let id = previous.id {
                try database.updateFileStat(id: id, size: file.size, modifiedAt: file.modifiedAt)
                summary.filesTouched += 1
                return
            }
            summary.filesRechunked += 1
        }
        let chunks = chunker.chunks(of: contents.text, path: file.path)
        for failure in chunker.syntaxWorker?.takeFailures() ?? [] { report(.problem(failure + "; chunked by indentation")) }
        try saveIndexed(file, contentHash: contentHash, chunks: chunks, rootId: rootId, summary: &summary, done: done, total: total,
                        generated: GeneratedMarker.isGenerated(contents.text), report: report)
    }

    func saveIndexed(_ file: WalkedFile, contentHash: Data, chunks: [Chunk], rootId: Int64, summary: inout IndexSummary, done: Int,
                     total: Int, generated: Bool = false, report: (IndexEvent) -> Void) throws {
        let drafts = chunks.map { chunk in
            ChunkRow(startLine: chunk.startLine, endLine: chunk.endLine, startByte: chunk.byteRange.lowerBound,
                     endByte: chunk.byteRange.upperBound, context: chunk.context, text: chunk.text,
                     contentHash: SHA256.hash(chunk.embeddingText.utf8), tokenCount: chunk.tokenCount,
                     locator: chunk.locator, symbol: chunk.symbol)
        }
        try database.saveIndexedFile(FileRecord(rootId: rootId, path: file.path, size: file.size, modifiedAt: file.modifiedAt,
                                                contentHash: contentHash, status: .indexed, skipReason: nil,
                                                chunking: chunkingMethod(forPath: file.path), generated: generated),
                                     chunks: drafts)
        summary.filesIndexed += 1
        summary.chunksWritten += drafts.count
        report(.indexed(path: file.path, chunks: drafts.count, done: done, total: total))
    }

    /// Whether an indexed file was chunked another way than it would be now (its record says how).
    func chunkingChanged(_ previous: FileRecord) -> Bool {
        previous.status == .indexed && previous.chunking != chunkingMethod(forPath: previous.path)
    }

    /// How a text file is chunked now (recorded with it); nil for a document, whose chunks come from sections stored
    /// by content and are not followed.
    private func chunkingMethod(forPath path: String) -> String? {
        DocumentFormat(path: path) == nil ? chunker.method(forPath: path) : nil
    }

    func saveSkipped(_ file: WalkedFile, rootId: Int64, reason: String, summary: inout IndexSummary, report: (IndexEvent) -> Void) throws {
        try database.saveSkippedFile(FileRecord(rootId: rootId, path: file.path, size: file.size, modifiedAt: file.modifiedAt,
                                                contentHash: nil, status: .skipped, skipReason: reason))
        summary.filesSkipped += 1
        report(.skipped(path: file.path, reason: reason))
    }

    // MARK: - Vectors

    /// Embeds every chunk content without a vector for the current model, in batches.
    package func embedPending(summary: inout IndexSummary, report: (IndexEvent) -> Void) throws {
        guard let embedder, let modelId = model?.id else { return }
        var total = try database.pendingEmbeddingCount(modelId: modelId)
        guard total > 0 else { return }
        var scansCounted = scansDone.withLock { $0 }
        // Said at once: the first batch can take half a minute on a small CPU, and until then the screen
        // would still say the files were being read.
        report(.embedding(done: 0, total: total, tokensPerSecond: 0))
        var done = 0
        var tokens = 0
        let start = Date()
        while shouldStop?() != true {
            let jumping = try database.pendingEmbeddings(modelId: modelId, among: urgent.withLock { list in
                defer { list = [] }
                return list
            })
            let pending = jumping.isEmpty ? try database.pendingEmbeddings(modelId: modelId, limit: embeddingBatchSize * 4) : jumping
            if pending.isEmpty { break }
            // A scan beside this pass (a file saved meanwhile) adds chunks: count what is left again.
            if scansDone.withLock({ $0 }) != scansCounted {
                scansCounted = scansDone.withLock { $0 }
                total = done + (try database.pendingEmbeddingCount(modelId: modelId))
            }
            // Similar lengths in one batch waste less work.
            let inputs = pending.map { (item: $0, ids: embedder.inputIds(ChunkText.embeddingText(context: $0.context, text: $0.text))) }
                .sorted { $0.ids.count < $1.ids.count }
            for batchStart in stride(from: 0, to: inputs.count, by: embeddingBatchSize) where shouldStop?() != true {
                if database.isDetached {
                    report(.problem(Self.detachedMessage(database.path)))
                    return
                }
                let batch = Array(inputs[batchStart..<min(batchStart + embeddingBatchSize, inputs.count)])
                let ids = batch.map(\.ids)
                let vectors = try scheduler.map { scheduler in
                    try scheduler.background { gate in try embedder.embed(ids: ids, gate: gate) }
                } ?? embedder.embed(ids: ids)
                let stored = zip(batch, vectors).map { (contentHash: $0.item.contentHash, embedding: $1) }
                try database.saveVectors(stored, modelId: modelId)
                done += batch.count
                tokens += batch.reduce(0) { $0 + $1.ids.count }
                report(.embedding(done: done, total: total, tokensPerSecond: Double(tokens) / max(Date().timeIntervalSince(start), 1e-6)))
                // What a scan saved meanwhile is newer than the rest of this fetch: fetch again, it comes first.
                if scansDone.withLock({ $0 }) != scansCounted { break }
            }
        }
        summary.chunksEmbedded += done
    }
}
