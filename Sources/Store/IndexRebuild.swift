import Foundation
import GRDB

/// `qwery index --rebuild`: a fresh index beside a damaged one, filled with whatever of the old one can
/// still be read (its folders, models and vectors — so nothing readable is embedded again), then, once
/// the caller has indexed the folders into it, moved over the old file in one rename.
package enum IndexRebuild {
    /// What was saved from the damaged index.
    package struct Salvage: Sendable, Equatable {
        package var roots: [String] = []
        package var vectors = 0
    }

    /// Where the new index is built before it replaces the old one.
    package static func stagingPath(for path: String) -> String { path + ".rebuild" }

    /// Creates a fresh index at the staging path (replacing a leftover one) and copies into it every root,
    /// model and vector of `path` that reads without error, stopping at the first unreadable row of each.
    package static func start(from path: String) throws(StoreError) -> (database: AppDatabase, salvage: Salvage) {
        let staging = stagingPath(for: path)
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: staging + suffix) }
        let fresh = try AppDatabase(path: staging)
        var salvage = Salvage()
        var configuration = Configuration()
        configuration.readonly = true
        guard let old = try? DatabaseQueue(path: path, configuration: configuration) else { return (fresh, salvage) }
        salvage.roots = (try? old.read { db in try String.fetchAll(db, sql: "SELECT path FROM root ORDER BY id") }) ?? []
        for root in salvage.roots { _ = try? fresh.addRoot(path: root) }
        let models = (try? old.read { db in try Row.fetchAll(db, sql: "SELECT id, identity, name, dimension FROM model") }) ?? []
        for model in models {
            let record = try fresh.registerModel(identity: model[1], name: model[2], dimension: model[3])
            guard let newId = record.id else { continue }
            let oldId: Int64 = model[0]
            var batch: [(contentHash: Data, embedding: [Float])] = []
            // Row by row: a damaged page ends the copy there, keeping everything before it.
            try? old.read { db in
                let rows = try Row.fetchCursor(db, sql: "SELECT contentHash, embedding FROM vector WHERE modelId = ?", arguments: [oldId])
                while let row = try rows.next() {
                    let blob: Data = row[1]
                    let embedding = blob.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
                    batch.append((row[0], embedding))
                }
            }
            try fresh.saveVectors(batch, modelId: newId)
            salvage.vectors += batch.count
        }
        return (fresh, salvage)
    }

    /// Moves the finished staging index over `path` (and drops the old file's WAL and shared memory).
    /// The staging database must be closed (no `AppDatabase` left on it) so its WAL is checkpointed.
    package static func finish(path: String) throws(StoreError) {
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let staging = stagingPath(for: path)
        guard rename(staging, path) == 0 else {
            throw .cannotOpen(path: path, reason: "cannot move the rebuilt index into place: \(String(cString: strerror(errno)))")
        }
        for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: staging + suffix) {
            _ = rename(staging + suffix, path + suffix)
        }
    }
}
