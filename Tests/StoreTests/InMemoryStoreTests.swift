import Foundation
import Testing
@testable import Store

/// The Store's queries on an in-memory index: roots, files and chunks, vectors and what is still to
/// embed, status, and removal — no file on disk.
@Suite("Store in memory")
struct InMemoryStoreTests {
    static func draft(_ text: String, line: Int) -> ChunkRow {
        ChunkRow(startLine: line, endLine: line, startByte: 0, endByte: text.utf8.count, context: "", text: text,
                   contentHash: Data(text.utf8), tokenCount: 3)
    }

    static func file(root: Int64, path: String) -> FileRecord {
        FileRecord(id: nil, rootId: root, path: path, size: 10, modifiedAt: 1, contentHash: Data(path.utf8), status: .indexed,
                   skipReason: nil, indexedAt: Date(timeIntervalSince1970: 0))
    }

    @Test("Given a new in-memory index, when migrated, then every migration has run and it is empty")
    func migrated() throws {
        let database = try AppDatabase.inMemory()
        let status = try database.status()

        #expect(status == IndexStatus())
        #expect(database.path == ":memory:" && !database.isReadOnly && !database.isDetached)
        #expect(try database.reader.read(Migrations.migrator.hasCompletedMigrations))
    }

    @Test("Given two files whose chunks share a content, when saved and embedded, then chunks, distinct contents, pending work and status agree")
    func filesChunksVectors() throws {
        let database = try AppDatabase.inMemory()
        let root = try database.addRoot(path: "/notes")
        let rootId = try #require(root.id)
        _ = try database.saveIndexedFile(Self.file(root: rootId, path: "/notes/a.md"),
                                         chunks: [Self.draft("bread", line: 1), Self.draft("shared", line: 5)])
        _ = try database.saveIndexedFile(Self.file(root: rootId, path: "/notes/b.md"), chunks: [Self.draft("shared", line: 2)])
        var skipped = Self.file(root: rootId, path: "/notes/huge.bin")
        skipped.status = .skipped
        skipped.skipReason = "larger than 2,000,000 bytes"
        try database.saveSkippedFile(skipped)
        let model = try database.registerModel(identity: "m1", name: "tiny", dimension: 4)
        let modelId = try #require(model.id)

        #expect(try database.distinctChunkContentCount() == 2)
        #expect(try database.pendingEmbeddingCount(modelId: modelId) == 2)
        try database.saveVectors([(contentHash: Data("shared".utf8), embedding: [1, 0, 0, 0])], modelId: modelId)
        #expect(try database.pendingEmbeddingCount(modelId: modelId) == 1)
        #expect(try database.pendingEmbeddings(modelId: modelId, limit: 10).map(\.contentHash) == [Data("bread".utf8)])
        #expect(try database.chunks(path: "/notes/a.md").map(\.startLine) == [1, 5])

        let status = try database.status()
        #expect(status.roots == ["/notes"])
        #expect(status.indexedFiles == 2 && status.chunks == 3 && status.distinctChunkContents == 2)
        #expect(status.skippedFiles == [IndexStatus.SkippedFile(path: "/notes/huge.bin", reason: "larger than 2,000,000 bytes")])
        #expect(status.models == [IndexStatus.ModelVectors(identity: "m1", name: "tiny", dimension: 4, vectors: 1)])
    }

    @Test("Given an indexed file, when deleted, then its chunks go, its vector is kept orphaned and revived when the text returns, and removed after the grace period")
    func deleteKeepsVectors() throws {
        let database = try AppDatabase.inMemory()
        let rootId = try #require(try database.addRoot(path: "/notes").id)
        let fileId = try database.saveIndexedFile(Self.file(root: rootId, path: "/notes/a.md"), chunks: [Self.draft("bread", line: 1)])
        let modelId = try #require(try database.registerModel(identity: "m1", name: "tiny", dimension: 2).id)
        try database.saveVectors([(contentHash: Data("bread".utf8), embedding: [0, 1])], modelId: modelId)

        try database.deleteFiles(ids: [fileId])

        #expect(try database.file(path: "/notes/a.md") == nil)
        #expect(try database.distinctChunkContentCount() == 0)
        #expect(try database.removeUnusedVectors() == 0)
        #expect(try database.vectorCount(modelId: modelId) == 0)
        // The same text comes back (a file moved or restored): its vector is revived, nothing to embed.
        let again = try database.saveIndexedFile(Self.file(root: rootId, path: "/notes/b.md"), chunks: [Self.draft("bread", line: 3)])
        #expect(try database.removeUnusedVectors() == 0)
        #expect(try database.vectorCount(modelId: modelId) == 1)
        #expect(try database.pendingEmbeddingCount(modelId: modelId) == 0)
        // Gone for longer than the grace period: removed.
        try database.deleteFiles(ids: [again])
        #expect(try database.removeUnusedVectors() == 0)
        #expect(try database.removeUnusedVectors(now: Date().addingTimeInterval(15 * 86_400)) == 1)
    }
}
