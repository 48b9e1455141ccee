import Corpus
import Foundation
import Indexing
import Store

/// The index as the commands see it: its path, its status, one indexing run under the writer lock, a rebuild.
extension Library {
    /// The index database's path.
    package var indexPath: String { database.path }
    /// Whether the index was opened to read only (`status`, `search`), or could only be.
    package var isReadOnly: Bool { database.isReadOnly }

    /// Counts, folders, models and skipped files, as stored.
    package func status() throws -> IndexStatus { try database.status() }

    /// The status as `--json` and MCP print it (with the writer's pid).
    package func statusRecord() throws -> StatusRecord {
        StatusRecord(try status(), path: indexPath, writerPid: writerPid)
    }

    /// Indexes `roots` once (new and changed files chunked, vectors computed unless `embed` is false) under the
    /// index's writer lock — waiting, told through `report`, while a screen, `qwery watch` or another
    /// `qwery index` holds it: by then most chunks are embedded and this run embeds only what is still missing.
    package func index(roots: [String], embed: Bool = true, report: (IndexEvent) -> Void) throws -> IndexSummary {
        let indexer = try makeIndexer(embed: embed)
        let writer = try writerLock(report: report)
        return try withExtendedLifetime(writer) { try indexer.run(roots: roots, report: report) }
    }

    /// The index's writer lock, waiting for its holder (told through `report`) when another process has it.
    func writerLock(report: (IndexEvent) -> Void) throws -> IndexWriterLock {
        if let lock = IndexWriterLock.acquire(databasePath: database.path) { return lock }
        let holder = IndexWriterLock.currentHolder(databasePath: database.path)
        report(holder?.activity == .watching ? .waitingForWatcher(pid: holder?.pid) : .followingWriter(pid: holder?.pid))
        guard let lock = IndexWriterLock.wait(databasePath: database.path) else {
            throw SettingsError.invalidValue("Cannot create \(IndexWriterLock.lockPath(for: database.path)): check the folder's permissions.")
        }
        return lock
    }

    /// `qwery index --rebuild`: what of the damaged index at `settings`' path still reads (folders, models,
    /// vectors) is copied into a fresh index beside it, the folders (`folders`, else the salvaged ones) are
    /// indexed into that, and it is moved over the old file in one rename. `started` hears what was salvaged.
    package static func rebuild(settings: Settings, folders: [String], embed: Bool, notice: @escaping @Sendable (String) -> Void,
                               started: (_ salvagedVectors: Int, _ salvagedFolders: Int) -> Void,
                               report: (IndexEvent) -> Void) throws -> IndexSummary {
        let path = settings.indexPath.value
        let summary: IndexSummary
        do {
            let (fresh, salvage) = try IndexRebuild.start(from: path)
            started(salvage.vectors, salvage.roots.count)
            let library = Library(settings: settings, database: fresh, notice: notice)
            summary = try library.makeIndexer(embed: embed).run(roots: try library.roots(naming: folders), report: report)
        }
        // The staging database is closed here (its last reference went with the block above).
        try IndexRebuild.finish(path: path)
        return summary
    }
}
