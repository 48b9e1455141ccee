import Corpus
import Foundation
import Synchronization
import Testing
import Engine
import GRDB
import Store
@testable import Indexing

/// Search over what is embedded so far (issue #14): every batch is committed before its `.embedding` event
/// (the event on which the live session reads the store's new vectors), the most recently modified files first.
@Suite("Live vectors", .serialized)
struct LiveVectorsTests {
    /// The content hashes of the stored vectors, as the live session's sync reads them.
    static func storedHashes(_ indexer: Indexer) throws -> Set<Data> {
        try indexer.database.reader.read { db in try Set(Data.fetchAll(db, sql: "SELECT contentHash FROM vector")) }
    }

    @Test("Given a first index, when batches are committed, then each is in the store at its .embedding event, before the run finishes, newest files first")
    func batchesArriveBeforeFinished() throws {
        let tree = try TemporaryTree()
        try tree.write("old.md", "# Archive\n\nAn old note about tax forms from years ago.\n")
        try tree.write("new.md", "# Today\n\nA fresh note about the budget meeting this morning.\n")
        try tree.setModificationDate("old.md", Date(timeIntervalSince1970: 1_000_000_000))
        try tree.setModificationDate("new.md", Date(timeIntervalSince1970: 1_700_000_000))
        var configuration = Indexer.Configuration()
        configuration.embeddingBatchSize = 1
        let indexer = try IndexerTests.indexer(tree, configuration: configuration)
        var batches: [[Data]] = []
        var seen = Set<Data>()
        var events: [String] = []
        try indexer.run(roots: [tree.root]) { event in
            switch event {
            case .embedding(let done, _, _):
                let stored = (try? Self.storedHashes(indexer)) ?? []
                if stored.count > seen.count { batches.append(Array(stored.subtracting(seen))) }
                seen = stored
                events.append("batch \(done): \(stored.count) stored")
            case .finished: events.append("finished")
            default: break
            }
        }
        #expect(events == ["batch 0: 0 stored", "batch 1: 1 stored", "batch 2: 2 stored", "finished"])
        let hashes = try indexer.database.reader.read { db in
            try [String: Data](uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT file.path, chunk.contentHash FROM chunk JOIN file ON file.id = chunk.fileId")
                .map { (($0[0] as String as NSString).lastPathComponent, $0[1] as Data) })
        }
        #expect(batches == [[hashes["new.md"]], [hashes["old.md"]]].map { $0.compactMap { $0 } })
    }

    @Test("Given chunks waiting to be embedded, when some are prioritized, then they are embedded first")
    func prioritizedChunksJumpTheQueue() throws {
        let tree = try TemporaryTree()
        for index in 0..<4 { try tree.write("note\(index).md", "# Note \(index)\n\nText of note number \(index) with its own words.\n") }
        try tree.setModificationDate("note3.md", Date(timeIntervalSince1970: 1_000_000_000))
        let indexer = try IndexerTests.indexer(tree, embed: false)
        try indexer.run(roots: [tree.root])
        var oneAtATime = Indexer.Configuration()
        oneAtATime.embeddingBatchSize = 1
        let withModel = try IndexerTests.indexer(tree, database: indexer.database, configuration: oneAtATime)
        let wanted = try indexer.database.reader.read { db in
            try Data.fetchOne(db, sql: "SELECT chunk.contentHash FROM chunk JOIN file ON file.id = chunk.fileId WHERE file.path LIKE '%note3.md'")
        }
        var first: Set<Data>?
        withModel.prioritize([try #require(wanted)])
        try withModel.run(roots: [tree.root]) { event in
            if case .embedding(1, _, _) = event { first = try? Self.storedHashes(withModel) }
        }
        #expect(first == Set([try #require(wanted)]), "the oldest note was asked for, so it must come first")
    }
}
