import Foundation
import GRDB

/// Counts and skipped files, as `qwery status` shows them.
package struct IndexStatus: Sendable, Equatable {
    /// A file left out of the index and why.
    package struct SkippedFile: Sendable, Equatable {
        package let path: String
        package let reason: String
    }

    /// Vectors stored for one model.
    package struct ModelVectors: Sendable, Equatable {
        package let identity: String
        package let name: String
        package let dimension: Int
        package let vectors: Int
    }

    package var roots: [String] = []
    package var indexedFiles = 0
    package var skippedFiles: [SkippedFile] = []
    package var chunks = 0
    package var distinctChunkContents = 0
    package var models: [ModelVectors] = []
    /// Indexed and skipped files by the lowercased extension of their names ("" without one).
    package var extensionCounts: [(fileExtension: String, indexed: Int, skipped: Int)] = []

    package init() {}

    package static func == (lhs: IndexStatus, rhs: IndexStatus) -> Bool {
        lhs.roots == rhs.roots && lhs.indexedFiles == rhs.indexedFiles && lhs.skippedFiles == rhs.skippedFiles && lhs.chunks == rhs.chunks
            && lhs.distinctChunkContents == rhs.distinctChunkContents && lhs.models == rhs.models
            && lhs.extensionCounts.elementsEqual(rhs.extensionCounts) { $0 == $1 }
    }
}

extension AppDatabase {
    package func status() throws(StoreError) -> IndexStatus {
        try read("read the index status") { db in
            var status = IndexStatus()
            status.roots = try String.fetchAll(db, sql: "SELECT path FROM root ORDER BY path")
            status.indexedFiles = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM file WHERE status = 'indexed'") ?? 0
            status.skippedFiles = try Row.fetchAll(db, sql: "SELECT path, skipReason FROM file WHERE status = 'skipped' ORDER BY path")
                .map { IndexStatus.SkippedFile(path: $0[0], reason: $0[1] ?? "") }
            status.chunks = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM chunk") ?? 0
            status.distinctChunkContents = try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT contentHash) FROM chunk") ?? 0
            status.models = try Row.fetchAll(db, sql: """
                SELECT model.identity, model.name, model.dimension, COUNT(vector.contentHash) FROM model
                LEFT JOIN vector ON vector.modelId = model.id AND vector.orphanedAt IS NULL GROUP BY model.id ORDER BY model.name
                """).map { IndexStatus.ModelVectors(identity: $0[0], name: $0[1], dimension: $0[2], vectors: $0[3]) }
            status.extensionCounts = try Self.extensionCounts(db)
            return status
        }
    }
}
