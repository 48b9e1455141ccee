import Corpus
import Foundation
import GRDB

/// Text to embed for a content hash that has no vector yet.
package struct PendingEmbedding: Sendable, Equatable {
    package let contentHash: Data
    package let context: String
    package let text: String
}

extension AppDatabase {
    /// The model row for an identity, added when new.
    package func registerModel(identity: String, name: String, dimension: Int) throws(StoreError) -> ModelRecord {
        try write("register the model \(name)") { db in
            if let existing = try ModelRecord.filter(ModelRecord.Columns.identity == identity).fetchOne(db) {
                return existing
            }
            var model = ModelRecord(id: nil, identity: identity, name: name, dimension: dimension)
            try model.insert(db)
            model.id = db.lastInsertedRowID
            return model
        }
    }

    /// The model of the checkpoint in `folder`, identified by a hash of its config and weight files: registered
    /// (named after the folder, `dimension` its full size) when new, or on a read-only index only looked up (nil
    /// when this index has no vectors of it). The one way a model gets its row: search, the indexer and the core
    /// all come here.
    package func model(forFolder folder: String, dimension: Int) throws -> ModelRecord? {
        let identity = try ModelIdentity.compute(folder: folder)
        if isReadOnly { return try model(identity: identity) }
        return try registerModel(identity: identity, name: (folder as NSString).lastPathComponent, dimension: dimension)
    }

    /// The model stored under `identity`, if any (read-only openers look up instead of registering).
    package func model(identity: String) throws(StoreError) -> ModelRecord? {
        try read("look up the model") { db in
            try ModelRecord.filter(ModelRecord.Columns.identity == identity).fetchOne(db)
        }
    }

    /// Up to `limit` distinct chunk contents that have no vector for `modelId`, those of the most recently
    /// modified files first (today's notes are searchable in seconds, the archive later), and within a file
    /// in order.
    package func pendingEmbeddings(modelId: Int64, limit: Int) throws(StoreError) -> [PendingEmbedding] {
        try read("find chunks to embed") { db in
            try Row.fetchAll(db, sql: """
                SELECT chunk.contentHash, chunk.context, chunk.text FROM chunk JOIN file ON file.id = chunk.fileId
                WHERE NOT EXISTS (SELECT 1 FROM vector WHERE vector.contentHash = chunk.contentHash AND vector.modelId = ?)
                GROUP BY chunk.contentHash
                ORDER BY MAX(file.modifiedAt) DESC, MIN(chunk.id)
                LIMIT ?
                """, arguments: [modelId, limit]).map { row in
                PendingEmbedding(contentHash: row[0], context: row[1], text: row[2])
            }
        }
    }

    /// Those of `hashes` that are chunk contents without a vector for `modelId` (the queue's urgent part).
    package func pendingEmbeddings(modelId: Int64, among hashes: [Data]) throws(StoreError) -> [PendingEmbedding] {
        guard !hashes.isEmpty else { return [] }
        return try read("find chunks to embed first") { db in
            try Row.fetchAll(db, sql: """
                SELECT chunk.contentHash, chunk.context, chunk.text FROM chunk
                WHERE chunk.contentHash IN (\(Array(repeating: "?", count: hashes.count).joined(separator: ",")))
                AND NOT EXISTS (SELECT 1 FROM vector WHERE vector.contentHash = chunk.contentHash AND vector.modelId = ?)
                GROUP BY chunk.contentHash
                """, arguments: StatementArguments(hashes + [modelId] as [any DatabaseValueConvertible])).map { row in
                PendingEmbedding(contentHash: row[0], context: row[1], text: row[2])
            }
        }
    }

    /// Distinct chunk contents in the index (what full semantic coverage means).
    package func distinctChunkContentCount() throws(StoreError) -> Int {
        try read("count chunk contents") { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT contentHash) FROM chunk") ?? 0
        }
    }

    /// Vectors stored for `modelId`.
    package func vectorCount(modelId: Int64) throws(StoreError) -> Int {
        try read("count vectors") { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM vector WHERE modelId = ? AND orphanedAt IS NULL", arguments: [modelId]) ?? 0
        }
    }

    /// How many distinct chunk contents still lack a vector for `modelId`.
    package func pendingEmbeddingCount(modelId: Int64) throws(StoreError) -> Int {
        try read("count chunks to embed") { db in
            try Int.fetchOne(db, sql: """
                SELECT COUNT(DISTINCT contentHash) FROM chunk
                WHERE NOT EXISTS (SELECT 1 FROM vector WHERE vector.contentHash = chunk.contentHash AND vector.modelId = ?)
                """, arguments: [modelId]) ?? 0
        }
    }

    /// Stores full-dimension vectors as little-endian float32 blobs.
    package func saveVectors(_ vectors: [(contentHash: Data, embedding: [Float])], modelId: Int64) throws(StoreError) {
        guard !vectors.isEmpty else { return }
        try write("save vectors") { db in
            for (hash, embedding) in vectors {
                let blob = embedding.withUnsafeBufferPointer { Data(buffer: $0) }
                try db.execute(sql: "INSERT OR REPLACE INTO vector (contentHash, modelId, embedding) VALUES (?, ?, ?)",
                               arguments: [hash, modelId, blob])
            }
        }
    }

    /// Deletes vectors whose content no chunk has any more; returns how many.
    @discardableResult
    package func removeUnusedVectors(now: Date = Date()) throws(StoreError) -> Int {
        try write("remove unused vectors") { db in
            let now = now.timeIntervalSince1970
            try db.execute(sql: """
                UPDATE vector SET orphanedAt = NULL WHERE orphanedAt IS NOT NULL AND contentHash IN (SELECT contentHash FROM chunk);
                UPDATE vector SET orphanedAt = ? WHERE orphanedAt IS NULL AND contentHash NOT IN (SELECT contentHash FROM chunk);
                """, arguments: [now])
            try db.execute(sql: "DELETE FROM vector WHERE orphanedAt < ?", arguments: [now - Self.orphanGraceSeconds])
            var removed = db.changesCount
            // Past the cap, the oldest orphans go first.
            let orphans = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM vector WHERE orphanedAt IS NOT NULL") ?? 0
            if orphans > Self.orphanCap {
                try db.execute(sql: """
                    DELETE FROM vector WHERE rowid IN (SELECT rowid FROM vector WHERE orphanedAt IS NOT NULL ORDER BY orphanedAt LIMIT ?)
                    """, arguments: [orphans - Self.orphanCap])
                removed += db.changesCount
            }
            return removed
        }
    }

    /// How long a vector no chunk uses is kept: 14 days.
    package static let orphanGraceSeconds: Double = 14 * 86_400
    /// At most this many such vectors are kept (about 400 MB at 1,024 dimensions).
    package static let orphanCap = 100_000
}
