import Foundation
import Synchronization
import Testing
@testable import Store

/// Reads a filtered search makes: full-text matches kept inside SQLite by `qwery_kept` (exactly the kept rows of the
/// unfiltered ranking, on every kind of connection, concurrent reads each with its own set), and the files' change
/// count that says whether a resolved filter still holds.
@Suite("Filtered reads")
struct FilteredReadTests {
    static let words = ["harbour", "walrus", "lantern", "ledger", "budget", "pool", "river", "copper", "signal", "meadow"]

    /// An index at `path` of 40 files × 10 chunks whose texts mix the words above (deterministically).
    static func makeIndex(at path: String) throws -> AppDatabase {
        let database = try AppDatabase(path: path)
        let rootId = try #require(try database.addRoot(path: "/notes").id)
        var state: UInt64 = 7
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(state >> 33)
        }
        for file in 0..<40 {
            let drafts = (0..<10).map { ordinal in
                let text = (0..<(3 + next() % 12)).map { _ in words[next() % words.count] }.joined(separator: " ")
                return ChunkRow(startLine: ordinal + 1, endLine: ordinal + 1, startByte: 0, endByte: text.utf8.count, context: "", text: text,
                                contentHash: Data("\(file)-\(ordinal)".utf8), tokenCount: 5)
            }
            _ = try database.saveIndexedFile(InMemoryStoreTests.file(root: rootId, path: "/notes/file\(file).md"), chunks: drafts)
        }
        return database
    }

    static func temporaryIndexPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("qwery-filtered-\(UUID().uuidString)").path + "/index.sqlite"
    }

    @Test("Given restrictions of every size, when full-text and substring matches are read within them, then they are exactly the kept rows of the unfiltered ranking, in its order")
    func keptRowsAreTheFilteredRanking() throws {
        let path = Self.temporaryIndexPath()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let database = try Self.makeIndex(at: path)
        let weights: [Double] = [1, 0.5, 2, 0.5, 2]
        for expression in ["\"walrus\"", "\"walrus\" OR \"pool\"", "\"ledger\" \"copper\""] {
            let all = try database.fullTextMatches(.words, expression: expression, weights: weights, limit: 10_000)
            #expect(all.count > 50, "\(expression)")
            let ids = all.map(\.chunkId)
            let restrictions: [Set<Int64>] = [[], [ids[0]], [ids[ids.count - 1]], Set(ids.enumerated().filter { $0.offset % 10 == 3 }.map(\.element)),
                                              Set(ids.enumerated().filter { $0.offset % 3 != 0 }.map(\.element)), Set(ids), Set(1...400)]
            for kept in restrictions {
                let filtered = try database.fullTextMatches(.words, expression: expression, weights: weights, limit: 20, within: kept)
                #expect(filtered.map(\.chunkId) == Array(ids.filter(kept.contains).prefix(20)), "\(expression) \(kept.count)")
                #expect(filtered.map(\.score) == Array(all.filter { kept.contains($0.chunkId) }.map(\.score).prefix(20)))
            }
            let reopened = try AppDatabase(path: path, access: .readOnly)
            let half = Set(ids.enumerated().filter { $0.offset % 2 == 0 }.map(\.element))
            #expect(try reopened.fullTextMatches(.words, expression: expression, weights: weights, limit: 20, within: half).map(\.chunkId)
                    == Array(ids.filter(half.contains).prefix(20)), "a read-only connection has the function too")
        }
        let substrings = try database.substringMatches(expression: "\"alru\"", substrings: ["oo"], limit: 10_000)
        #expect(substrings.count > 20)
        let kept = Set(substrings.map(\.chunkId).enumerated().filter { $0.offset % 4 == 1 }.map(\.element))
        let filtered = try database.substringMatches(expression: "\"alru\"", substrings: ["oo"], limit: 10_000, within: kept)
        #expect(Set(filtered.map(\.chunkId)) == kept)
    }

    @Test("Given sixteen filtered reads at once on the pool's connections, each with its own set, then each keeps exactly its own rows")
    func concurrentRestrictionsStayApart() throws {
        let path = Self.temporaryIndexPath()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let database = try Self.makeIndex(at: path)
        let all = try database.fullTextMatches(.words, expression: "\"river\"", weights: [1, 1, 1, 1, 1], limit: 10_000).map(\.chunkId)
        let mismatches = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 16) { index in
            let kept = Set(all.enumerated().filter { $0.offset % 16 == index }.map(\.element))
            for _ in 0..<20 {
                let found = (try? database.fullTextMatches(.words, expression: "\"river\"", weights: [1, 1, 1, 1, 1], limit: 1_000, within: kept)) ?? []
                if found.map(\.chunkId) != all.filter(kept.contains) { mismatches.withLock { $0 += 1 } }
            }
        }
        #expect(mismatches.withLock { $0 } == 0)
    }

    @Test("Given an index, when files and roots are written, then the files' change count moves with every write and with nothing else")
    func filesGenerationFollowsWrites() throws {
        let database = try AppDatabase.inMemory()
        var last = try database.filesGeneration()
        func moved(_ what: String) throws {
            let now = try database.filesGeneration()
            #expect(now != last, "\(what)")
            last = now
        }
        func stayed(_ what: String) throws { #expect(try database.filesGeneration() == last, "\(what)") }
        let rootId = try #require(try database.addRoot(path: "/notes").id)
        try moved("a root added")
        let fileId = try database.saveIndexedFile(InMemoryStoreTests.file(root: rootId, path: "/notes/a.md"), chunks: [InMemoryStoreTests.draft("bread", line: 1)])
        try moved("a file indexed")
        _ = try database.saveIndexedFile(InMemoryStoreTests.file(root: rootId, path: "/notes/a.md"), chunks: [InMemoryStoreTests.draft("crust", line: 1)])
        try moved("a file re-indexed")
        try database.updateFileStat(id: fileId, size: 11, modifiedAt: 99)
        try moved("a file touched")
        let modelId = try #require(try database.registerModel(identity: "m1", name: "tiny", dimension: 2).id)
        try database.saveVectors([(contentHash: Data("crust".utf8), embedding: [0, 1])], modelId: modelId)
        _ = try database.fullTextMatches(.words, expression: "\"crust\"", weights: [1, 1, 1, 1, 1], limit: 5)
        _ = try database.indexedFiles()
        try stayed("vectors written and searches read")
        try database.deleteFiles(ids: [fileId])
        try moved("a file removed")
    }
}
