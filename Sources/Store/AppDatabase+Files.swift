import Foundation
import GRDB

/// A chunk about to be stored, before it has an id.
public struct ChunkDraft: Sendable, Equatable {
    public var startLine: Int
    public var endLine: Int
    public var startByte: Int
    public var endByte: Int
    public var context: String
    public var text: String
    public var contentHash: Data
    public var tokenCount: Int

    public init(startLine: Int, endLine: Int, startByte: Int, endByte: Int, context: String, text: String,
                contentHash: Data, tokenCount: Int) {
        self.startLine = startLine
        self.endLine = endLine
        self.startByte = startByte
        self.endByte = endByte
        self.context = context
        self.text = text
        self.contentHash = contentHash
        self.tokenCount = tokenCount
    }
}

extension AppDatabase {
    // MARK: - Roots

    /// The root for `path`, added when new.
    public func addRoot(path: String) throws(StoreError) -> RootRecord {
        try write("add the folder \(path)") { db in
            if let existing = try RootRecord.filter(RootRecord.Columns.path == path).fetchOne(db) {
                return existing
            }
            var root = RootRecord(id: nil, path: path, addedAt: Date())
            try root.insert(db)
            root.id = db.lastInsertedRowID
            return root
        }
    }

    public func roots() throws(StoreError) -> [RootRecord] {
        try read("list the folders") { db in try RootRecord.order(RootRecord.Columns.path).fetchAll(db) }
    }

    /// Removes a root with its files, chunks and their search entries.
    public func removeRoot(path: String) throws(StoreError) {
        try write("remove the folder \(path)") { db in
            _ = try RootRecord.filter(RootRecord.Columns.path == path).deleteAll(db)
        }
    }

    // MARK: - Files

    /// Every file the index knows under a root, keyed by path.
    public func files(rootId: Int64) throws(StoreError) -> [String: FileRecord] {
        try read("list indexed files") { db in
            var files: [String: FileRecord] = [:]
            for file in try FileRecord.filter(FileRecord.Columns.rootId == rootId).fetchAll(db) {
                files[file.path] = file
            }
            return files
        }
    }

    public func file(path: String) throws(StoreError) -> FileRecord? {
        try read("look up \(path)") { db in try FileRecord.filter(FileRecord.Columns.path == path).fetchOne(db) }
    }

    /// Stores a file and replaces all its chunks, atomically: a crash leaves either the old or the new version.
    @discardableResult
    public func saveIndexedFile(_ file: FileRecord, chunks: [ChunkDraft]) throws(StoreError) -> Int64 {
        try write("save \(file.path)") { db in
            let fileId = try Self.upsert(file, db)
            try db.execute(sql: "DELETE FROM chunk WHERE fileId = ?", arguments: [fileId])
            for (ordinal, draft) in chunks.enumerated() {
                try db.execute(sql: """
                    INSERT INTO chunk (fileId, ordinal, startLine, endLine, startByte, endByte, context, text, contentHash, tokenCount)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [fileId, ordinal, draft.startLine, draft.endLine, draft.startByte, draft.endByte,
                                     draft.context, draft.text, draft.contentHash, draft.tokenCount])
            }
            return fileId
        }
    }

    /// Records a file that is not indexed (binary, too large, unreadable…) with the reason; drops old chunks.
    public func saveSkippedFile(_ file: FileRecord) throws(StoreError) {
        _ = try saveIndexedFile(file, chunks: [])
    }

    /// Updates size and modification time of a file whose content did not change.
    public func updateFileStat(id: Int64, size: Int64, modifiedAt: Int64) throws(StoreError) {
        try write("update a file's time") { db in
            try db.execute(sql: "UPDATE file SET size = ?, modifiedAt = ? WHERE id = ?", arguments: [size, modifiedAt, id])
        }
    }

    /// Removes files (and with them their chunks and search entries).
    public func deleteFiles(ids: [Int64]) throws(StoreError) {
        guard !ids.isEmpty else { return }
        try write("remove deleted files") { db in
            for id in ids {
                try db.execute(sql: "DELETE FROM file WHERE id = ?", arguments: [id])
            }
        }
    }

    private static func upsert(_ file: FileRecord, _ db: Database) throws -> Int64 {
        if let existing = try Int64.fetchOne(db, sql: "SELECT id FROM file WHERE path = ?", arguments: [file.path]) {
            try db.execute(sql: """
                UPDATE file SET rootId = ?, size = ?, modifiedAt = ?, contentHash = ?, status = ?, skipReason = ?, indexedAt = ?
                WHERE id = ?
                """, arguments: [file.rootId, file.size, file.modifiedAt, file.contentHash, file.status.rawValue,
                                 file.skipReason, file.indexedAt, existing])
            return existing
        }
        var inserted = file
        inserted.id = nil
        try inserted.insert(db)
        return db.lastInsertedRowID
    }
}
