import Foundation
import Testing
import Engine
import Indexing
import Store
@testable import Search

/// Filters restrict the candidates before top-k, in both lists (issue #15; ck #111 filtered after).
@Suite("Filters before ranking", .serialized)
struct FilterBeforeRankingTests {
    @Test("Given 2,000 files that all match a word, when searching it with a filter keeping one file, then that file's chunk comes back in both lists")
    func oneFileOfThousands() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("qwery-filter-\(UUID().uuidString)").resolvingSymlinksInPath().path
        defer { try? FileManager.default.removeItem(atPath: base) }
        for folder in 0..<20 {
            try FileManager.default.createDirectory(atPath: base + "/notes/f\(folder)", withIntermediateDirectories: true)
            for note in 0..<100 {
                try "Meeting \(folder)-\(note): short meeting.".write(toFile: base + "/notes/f\(folder)/n\(note).md", atomically: true, encoding: .utf8)
            }
        }
        try FileManager.default.createDirectory(atPath: base + "/notes/deep", withIntermediateDirectories: true)
        // One mention among many other words: a low BM25 score, far below the top 100 of the 2,000.
        let needle = "The needle: " + String(repeating: "unrelated words about gardens and rivers ", count: 40) + "and one meeting."
        try needle.write(toFile: base + "/notes/deep/needle.txt", atomically: true, encoding: .utf8)
        let database = try AppDatabase(path: base + "/index.sqlite")
        let embedder = SampleCorpusIndex.embedder
        let indexer = try Indexer(database: database, tokenizer: embedder.tokenizer, embedder: embedder, modelFolder: SampleCorpusIndex.embeddingFolder)
        try indexer.run(roots: [base + "/notes"])
        let service = try SearchService(database: database, embedder: embedder, modelFolder: SampleCorpusIndex.embeddingFolder)
        var options = SearchService.Options()
        options.candidates = 100

        let unfiltered = try service.search("meeting", options: options)
        #expect(!unfiltered.contains { $0.path.hasSuffix("needle.txt") }, "the needle must be outside the unfiltered top 100 for this test to mean anything")

        for query in ["meeting path:deep/**", "meeting ext:txt", "meeting dir:deep", "meeting -short"] {
            let results = try service.search(query, options: options)
            #expect(results.map { ($0.path as NSString).lastPathComponent } == ["needle.txt"], "\(query)")
            #expect(results.first?.lexicalRank == 1 && results.first?.vectorRank == 1, "\(query): in both lists")
        }
        #expect(try service.search("meeting ext:pdf", options: options).isEmpty)
        #expect(try service.search("meeting \"one meeting\"", options: options).map { ($0.path as NSString).lastPathComponent } == ["needle.txt"])
    }
}

extension FilterBeforeRankingTests {
    @Test("Given a filter keeping much of the index, when its semantic hits are over-fetched from the whole matrix, then they equal the restricted scan's, hit for hit")
    func overFetchedHitsEqualTheRestrictedScan() throws {
        let service = SampleCorpusIndex.service
        let parsed = try QueryAnalysis("ext:md").parsedQuery()
        let wide = try #require(try service.candidates(parsed.filters))
        #expect(wide.isByFile && wide.fileShare >= 1.0 / 8, "\(wide.fileShare)")
        // The same files with a share under an eighth: the restricted scan, the reference.
        let restricted = CandidateSet(fileIds: wide.fileIds, fileShare: 0.01, chunkFilter: nil, database: service.database)
        let embedding = try #require(try service.queryEmbedding("bread and travel plans", instruction: "Given a query, retrieve passages"))
        for depth in [5, 20] {
            var options = SearchService.Options()
            options.candidates = depth
            let overFetched = try service.semanticHits(embedding, options: options, within: wide)
            let reference = try service.semanticHits(embedding, options: options, within: restricted)
            #expect(!reference.isEmpty)
            #expect(overFetched.map(\.chunkId) == reference.map(\.chunkId), "depth \(depth)")
        }
    }
}

extension FilterBeforeRankingTests {
    @Test("Given a filter resolved once, when queried again the set is reused; when a file is added or removed, the next query sees it")
    func resolvedFiltersFollowTheFiles() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("qwery-filter-cache-\(UUID().uuidString)").resolvingSymlinksInPath().path
        defer { try? FileManager.default.removeItem(atPath: base) }
        try FileManager.default.createDirectory(atPath: base + "/notes", withIntermediateDirectories: true)
        try "Walrus notes from the harbour.".write(toFile: base + "/notes/a.md", atomically: true, encoding: .utf8)
        let database = try AppDatabase(path: base + "/index.sqlite")
        let indexer = try Indexer(database: database, tokenizer: nil, embedder: nil, modelFolder: nil)
        try indexer.run(roots: [base + "/notes"])
        let service = try SearchService(database: database, embedder: nil, model: nil)
        let filters = try QueryAnalysis("ext:md").parsedQuery().filters
        let first = try #require(try service.candidates(filters))
        #expect(try service.candidates(filters) === first, "nothing changed: the same set")
        #expect(try service.lexicalSearch("walrus ext:md", options: SearchService.Options()).count == 1)

        try "A second walrus, in the second note.".write(toFile: base + "/notes/b.md", atomically: true, encoding: .utf8)
        try indexer.run(roots: [base + "/notes"])
        #expect(try service.candidates(filters) !== first)
        #expect(try service.lexicalSearch("walrus ext:md", options: SearchService.Options()).count == 2)

        try FileManager.default.removeItem(atPath: base + "/notes/a.md")
        try indexer.run(roots: [base + "/notes"])
        #expect(try service.lexicalSearch("walrus ext:md", options: SearchService.Options()).map { ($0.path as NSString).lastPathComponent } == ["b.md"])
    }
}
