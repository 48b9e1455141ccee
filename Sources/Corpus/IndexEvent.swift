/// Progress of an indexing run, for the CLI's progress bar and the TUI's status bar.
package enum IndexEvent: Sendable, Equatable {
    case scanning(root: String)
    /// A file was (re)chunked; `done` of `total` changed files so far.
    case indexed(path: String, chunks: Int, done: Int, total: Int)
    case skipped(path: String, reason: String)
    case removed(path: String)
    /// Vectors computed so far in this run, of `total` pending, with throughput.
    case embedding(done: Int, total: Int, tokensPerSecond: Double)
    case finished(IndexSummary)
    /// Files changed while an embedding pass ran were scanned beside it: they are searchable lexically now, and
    /// their chunks are the next the pass embeds. The run goes on; `.finished` still ends it.
    case changesIndexed(IndexSummary)
    case problem(String)
    /// Another qwery process holds the index's writer lock (pid when it wrote one): this one only searches,
    /// following that writer's vectors, and takes over when it exits.
    case followingWriter(pid: Int32?)
    /// Another qwery process holds the writer lock while it only watches (the index is fresh): `qwery index`
    /// has nothing to add until that process exits.
    case waitingForWatcher(pid: Int32?)
    /// While following another writer: its stored vectors were looked at again (every 2 s). The live session
    /// reads them in; faces have nothing to show for it.
    case followedWriter
}

/// What one indexing run did.
package struct IndexSummary: Sendable, Equatable {
    package var filesSeen = 0
    package var filesIndexed = 0
    package var filesUnchanged = 0
    package var filesTouched = 0
    /// Files that had not changed but were indexed another way (a grammar installed or rebuilt, new chunking rules):
    /// chunked again, counted in `filesIndexed` too.
    package var filesRechunked = 0
    package var filesSkipped = 0
    package var filesRemoved = 0
    package var chunksWritten = 0
    package var chunksEmbedded = 0
    package var vectorsRemoved = 0
    /// Roots that could not be listed: their indexed files were kept, and `qwery index` exits non-zero.
    package var unreadableRoots: [String] = []

    package init() {}

    /// Whether the run changed anything in the index (files indexed, skipped, removed or vectors computed).
    package var changedAnything: Bool {
        filesIndexed + filesSkipped + filesRemoved + chunksEmbedded + vectorsRemoved > 0
    }

    /// Both runs' counts together (a run's scans beside its embedding pass are one run).
    package mutating func add(_ other: IndexSummary) {
        filesSeen += other.filesSeen
        filesIndexed += other.filesIndexed
        filesUnchanged += other.filesUnchanged
        filesTouched += other.filesTouched
        filesRechunked += other.filesRechunked
        filesSkipped += other.filesSkipped
        filesRemoved += other.filesRemoved
        chunksWritten += other.chunksWritten
        chunksEmbedded += other.chunksEmbedded
        vectorsRemoved += other.vectorsRemoved
        unreadableRoots += other.unreadableRoots.filter { !unreadableRoots.contains($0) }
    }
}
