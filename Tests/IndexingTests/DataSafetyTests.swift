import Foundation
import Testing
import Store
@testable import Indexing

/// Nothing is lost when folders disappear for a while (issue #16, data safety).
@Suite("Data safety", .serialized)
struct DataSafetyTests {
    @Test("Given an indexed folder that comes back empty (an unmounted disk), when re-indexed and then restored, then nothing was removed and 0 chunks are re-embedded")
    func emptiedRootIsNotEmptied() throws {
        let tree = try IndexerTests.makeTree()
        let indexer = try IndexerTests.indexer(tree)
        try indexer.run(roots: [tree.root])
        let aside = tree.root + "-unmounted"
        try FileManager.default.moveItem(atPath: tree.root, toPath: aside)
        try FileManager.default.createDirectory(atPath: tree.root, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: aside) }

        var problems: [String] = []
        let empty = try indexer.run(roots: [tree.root]) { if case .problem(let message) = $0 { problems.append(message) } }
        #expect(problems == ["\((tree.root as NSString).lastPathComponent): folder is empty or missing — nothing removed (\(tree.root))"])
        #expect(empty.filesRemoved == 0)
        #expect(try indexer.database.status().chunks == 5)

        try FileManager.default.removeItem(atPath: tree.root)
        try FileManager.default.moveItem(atPath: aside, toPath: tree.root)
        let restored = try indexer.run(roots: [tree.root])
        #expect(restored.chunksEmbedded == 0)
        #expect(restored.filesUnchanged == 5)
    }

    @Test("Given a file deleted and put back a run later, when re-indexed, then its vectors were kept and nothing is re-embedded; after the grace period they go")
    func orphanedVectorsSurviveTheGracePeriod() throws {
        let tree = try IndexerTests.makeTree()
        let indexer = try IndexerTests.indexer(tree)
        try indexer.run(roots: [tree.root])
        let journal = try String(contentsOfFile: tree.path("notes/journal.md"), encoding: .utf8)
        try tree.remove("notes/journal.md")
        let removed = try indexer.run(roots: [tree.root])
        #expect(removed.filesRemoved == 1 && removed.vectorsRemoved == 0)
        #expect(try indexer.database.status().models.first?.vectors == 2, "searchable vectors are those of existing chunks")

        try tree.write("notes/journal.md", journal)
        let back = try indexer.run(roots: [tree.root])
        #expect(back.filesIndexed == 1 && back.chunksEmbedded == 0)
        #expect(try indexer.database.status().models.first?.vectors == 5)

        try tree.remove("notes/journal.md")
        try indexer.run(roots: [tree.root])
        let later = Date().addingTimeInterval(AppDatabase.orphanGraceSeconds + 60)
        #expect(try indexer.database.removeUnusedVectors(now: later) == 3)
    }
}

/// inotify running out of watches is said, not hidden (issue #16).
@Suite("Watch exhaustion")
struct WatchExhaustionTests {
    @Test("Given more folders than the kernel will watch, when watching starts, then the summary says how many and what to do")
    func shortageIsReported() throws {
        let tree = try TemporaryTree()
        for index in 0..<6 { try tree.write("folder\(index)/note.md", "note") }
        let limited = try FileWatcher(roots: [tree.root], watchLimit: 3) { _ in }
        #expect(limited.watchedFolderCount == 3 && limited.folderCount == 7)
        #expect(limited.summary == "watching 3 of 7 folders — raise fs.inotify.max_user_watches (the rest is rescanned every 30 s)")
        let unlimited = try FileWatcher(roots: [tree.root]) { _ in }
        #expect(unlimited.summary == "watching 7 folders")
    }
}

/// The index file deleted while qwery runs is noticed (issue #16).
@Suite("Deleted index")
struct DeletedIndexTests {
    @Test("Given an open index whose file is deleted, when the indexer runs again, then it says so and writes nothing")
    func deletedFileIsNoticed() throws {
        let tree = try IndexerTests.makeTree()
        let indexer = try IndexerTests.indexer(tree)
        try indexer.run(roots: [tree.root])
        #expect(!indexer.database.isDetached)
        try FileManager.default.removeItem(atPath: indexer.database.path)
        try tree.write("notes/new.md", "# New\n\nA note written after the index file was deleted.\n")
        var problems: [String] = []
        let summary = try indexer.run(roots: [tree.root]) { if case .problem(let message) = $0 { problems.append(message) } }
        #expect(indexer.database.isDetached)
        #expect(summary.filesIndexed == 0)
        #expect(problems.count == 1 && problems[0].contains("was deleted or replaced while qwery ran"), "\(problems)")
    }
}

/// No model and no tokenizer file at all: lexical indexing still works (issue #16).
@Suite("No model")
struct NoModelTests {
    @Test("Given no tokenizer, when indexing, then files are chunked with estimated sizes and searchable lexically")
    func lexicalIndexWithoutTokenizer() throws {
        let tree = try IndexerTests.makeTree()
        let database = try AppDatabase(path: tree.root + ".sqlite")
        let indexer = try Indexer(database: database, tokenizer: nil, embedder: nil, modelFolder: nil)
        let summary = try indexer.run(roots: [tree.root])
        #expect(summary.filesIndexed == 3 && summary.chunksWritten >= 3 && summary.chunksEmbedded == 0)
        #expect(Chunker.estimatedTokenCount("hello world") == 3)
        #expect(Chunker.estimatedTokenCount("東京の天気") == 5)
    }
}
