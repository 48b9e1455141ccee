import Foundation
import GRDB

extension AppDatabase {
    // MARK: - Roots

    /// The root for `path`, added when new.
    package func addRoot(path: String) throws(StoreError) -> RootRecord {
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

    package func roots() throws(StoreError) -> [RootRecord] {
        try read("list the folders") { db in try RootRecord.order(RootRecord.Columns.path).fetchAll(db) }
    }

    // MARK: - Files

    /// Every file the index knows under a root, keyed by path.
    /// A root's files, keyed by their paths' bytes (NFC and NFD twins stay two).
    package func files(rootId: Int64) throws(StoreError) -> [PathKey: FileRecord] {
        try read("list indexed files") { db in
            var files: [PathKey: FileRecord] = [:]
            for file in try FileRecord.filter(FileRecord.Columns.rootId == rootId).fetchAll(db) {
                files[PathKey(file.path)] = file
            }
            return files
        }
    }

    package func file(path: String) throws(StoreError) -> FileRecord? {
        try read("look up \(path)") { db in try FileRecord.filter(FileRecord.Columns.path == path).fetchOne(db) }
    }

    /// Stores a file and replaces all its chunks, atomically: a crash leaves either the old or the new version.
    @discardableResult
    package func saveIndexedFile(_ file: FileRecord, chunks: [ChunkRow]) throws(StoreError) -> Int64 {
        try write("save \(file.path)") { db in
            let fileId = try Self.upsert(file, db)
            try db.execute(sql: "DELETE FROM chunk WHERE fileId = ?", arguments: [fileId])
            for (ordinal, draft) in chunks.enumerated() {
                try db.execute(sql: """
                    INSERT INTO chunk (fileId, ordinal, startLine, endLine, startByte, endByte, context, text, contentHash, tokenCount,
                                       locatorKind, locatorNumber, symbol)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [fileId, ordinal, draft.startLine, draft.endLine, draft.startByte, draft.endByte,
                                     draft.context, draft.text, draft.contentHash, draft.tokenCount, draft.locator?.kind, draft.locator?.number, draft.symbol])
            }
            return fileId
        }
    }

    /// Records a file that is not indexed (binary, too large, unreadable…) with the reason; drops old chunks.
    package func saveSkippedFile(_ file: FileRecord) throws(StoreError) {
        _ = try saveIndexedFile(file, chunks: [])
    }

    /// Updates size and modification time of a file whose content did not change.
    package func updateFileStat(id: Int64, size: Int64, modifiedAt: Int64) throws(StoreError) {
        try write("update a file's time") { db in
            try db.execute(sql: "UPDATE file SET size = ?, modifiedAt = ? WHERE id = ?", arguments: [size, modifiedAt, id])
        }
    }

    /// Removes files (and with them their chunks and search entries).
    package func deleteFiles(ids: [Int64]) throws(StoreError) {
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
                UPDATE file SET rootId = ?, size = ?, modifiedAt = ?, contentHash = ?, status = ?, skipReason = ?, indexedAt = ?, chunking = ?, generated = ?
                WHERE id = ?
                """, arguments: [file.rootId, file.size, file.modifiedAt, file.contentHash, file.status.rawValue,
                                 file.skipReason, file.indexedAt, file.chunking, file.generated, existing])
            return existing
        }
        var inserted = file
        inserted.id = nil
        try inserted.insert(db)
        return db.lastInsertedRowID
    }
}

// MARK: - Chunks of one file

extension AppDatabase {
    /// The chunks of the indexed file at `path`, in file order (empty when the file is not indexed).
    package func chunks(path: String) throws(StoreError) -> [ChunkRow] {
        try read("list the chunks of \(path)") { db in
            try Row.fetchAll(db, sql: """
                SELECT \(ChunkRow.columns) FROM chunk JOIN file ON file.id = chunk.fileId
                WHERE file.path = ? ORDER BY chunk.ordinal
                """, arguments: [path]).map(ChunkRow.init(row:))
        }
    }

    /// The ids of chunks with these contents, with their content (semantic hits to chunks).
    /// The chunks holding these contents, with their files (a filter on files keeps those of its files).
    package func chunkFiles(contentHashes: [Data]) throws(StoreError) -> [(id: Int64, contentHash: Data, fileId: Int64)] {
        guard !contentHashes.isEmpty else { return [] }
        return try read("find chunks and files by content") { db in
            var found: [(id: Int64, contentHash: Data, fileId: Int64)] = []
            try ParameterBatches.forEach(contentHashes) { batch, placeholders in
                found += try Row.fetchAll(db, sql: "SELECT id, contentHash, fileId FROM chunk WHERE contentHash IN (\(placeholders)) ORDER BY id",
                                          arguments: StatementArguments(batch)).map { ($0[0], $0[1], $0[2]) }
            }
            return found
        }
    }

    package func chunkIds(contentHashes: [Data]) throws(StoreError) -> [(id: Int64, contentHash: Data)] {
        guard !contentHashes.isEmpty else { return [] }
        return try read("find chunks by content") { db in
            try ParameterBatches.chunkRows(db, "SELECT id, contentHash FROM chunk WHERE contentHash IN (%@) ORDER BY id", contentHashes)
        }
    }
}

// MARK: - Filters (the query syntax's candidate set)

/// An indexed file as filters see it.
package struct IndexedFileInfo: Sendable, Equatable {
    package let id: Int64
    package let path: String
    /// Nanoseconds since 1970.
    package let modifiedAt: Int64
    package let root: String

    package init(id: Int64, path: String, modifiedAt: Int64, root: String) {
        self.id = id
        self.path = path
        self.modifiedAt = modifiedAt
        self.root = root
    }
}

extension AppDatabase {
    /// Every indexed (not skipped) file with its root.
    package func indexedFiles() throws(StoreError) -> [IndexedFileInfo] {
        try read("list indexed files") { db in
            try Row.fetchAll(db, sql: """
                SELECT file.id, file.path, file.modifiedAt, root.path FROM file JOIN root ON root.id = file.rootId
                WHERE file.status = 'indexed'
                """).map { IndexedFileInfo(id: $0[0], path: $0[1], modifiedAt: $0[2], root: $0[3]) }
        }
    }

    /// A number that changes whenever the files or roots do (a file indexed, re-indexed, touched or removed, a root
    /// added or removed): what was worked out from them while it stays the same still holds. One row read.
    package func filesGeneration() throws(StoreError) -> Int64 {
        try read("read the files' change count") { db in
            try Int64.fetchOne(db, sql: "SELECT value FROM changeCounter WHERE name = 'files'") ?? 0
        }
    }

    /// (chunk id, content hash) of every chunk of these files.
    package func chunks(fileIds: [Int64]) throws(StoreError) -> [(id: Int64, contentHash: Data)] {
        try read("list chunks of files") { db in
            try ParameterBatches.chunkRows(db, "SELECT id, contentHash FROM chunk WHERE fileId IN (%@)", fileIds)
        }
    }

    /// (chunk id, symbols) of the chunks of these files that hold symbols (code parsed by a grammar).
    package func chunkSymbols(fileIds: [Int64]) throws(StoreError) -> [Int64: String] {
        try read("list symbols of files") { db in
            var symbols: [Int64: String] = [:]
            try ParameterBatches.forEach(fileIds) { batch, placeholders in
                for row in try Row.fetchAll(db, sql: "SELECT id, symbol FROM chunk WHERE symbol IS NOT NULL AND fileId IN (\(placeholders))",
                                            arguments: StatementArguments(batch)) {
                    symbols[row[0]] = row[1]
                }
            }
            return symbols
        }
    }

    /// (chunk id, symbols) of the chunks of `fileIds` whose full-text entry matches `expression` (an expression over
    /// its symbol column: a pre-filter the caller then checks symbol by symbol).
    package func chunkSymbols(matching expression: String, fileIds: Set<Int64>) throws(StoreError) -> [Int64: String] {
        try chunkSymbols("list symbols matching a filter", fileIds: fileIds,
                         where: "symbol IS NOT NULL AND id IN (SELECT rowid FROM chunk_fts WHERE chunk_fts MATCH ?)", argument: expression)
    }

    /// (chunk id, symbols) of the chunks of `fileIds` whose symbols hold `text` (ASCII, case aside) or any letter
    /// beyond ASCII (more bytes than characters): a pre-filter the caller then checks symbol by symbol (SQLite's LIKE
    /// folds ASCII case only).
    package func chunkSymbols(containing text: String, fileIds: Set<Int64>) throws(StoreError) -> [Int64: String] {
        try chunkSymbols("list symbols holding a text", fileIds: fileIds,
                         where: "symbol LIKE ? ESCAPE '\\' OR length(CAST(symbol AS BLOB)) != length(symbol)", argument: Self.likeContaining(text))
    }

    /// (chunk id, symbols) of the chunks a condition with one argument keeps, among `fileIds`.
    private func chunkSymbols(_ operation: String, fileIds: Set<Int64>, where condition: String,
                              argument: String) throws(StoreError) -> [Int64: String] {
        try read(operation) { db in
            var symbols: [Int64: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, fileId, symbol FROM chunk WHERE \(condition)", arguments: [argument])
            where fileIds.contains(row[1]) {
                symbols[row[0]] = row[2]
            }
            return symbols
        }
    }

    /// The ids of chunks whose text matches an FTS5 expression (a quoted phrase or term), over the word index
    /// and, for text without spaces between words, the trigram index.
    package func chunkIds(matching expression: String, trigram: Bool) throws(StoreError) -> Set<Int64> {
        let table = trigram ? "chunk_trigram" : "chunk_fts"
        return try read("match a filter") { db in
            // The words index's other columns hold derived words (stems, identifier parts): a phrase is the text's.
            Set(try Int64.fetchAll(db, sql: "SELECT rowid FROM \(table) WHERE \(table) MATCH ?", arguments: [trigram ? expression : "text : " + expression]))
        }
    }
}
