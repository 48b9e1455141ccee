import Foundation
import Testing
import Engine
@testable import Search

/// Semantic search and MRL: results at dimension d equal those of embedding everything at d.
@Suite("Semantic search")
struct SemanticSearchTests {
    @Test("Given a dimension d, when searching, then scores equal cosines of query and chunks embedded at d", arguments: [4, 8, 16])
    func dimensionsEqualReembedding(dimensions: Int) throws {
        let service = SampleCorpusIndex.service
        let embedder = SampleCorpusIndex.embedder
        var options = SearchService.Options()
        options.dimensions = dimensions
        options.candidates = 12
        let query = "how do I make bread rise faster"
        let embedding = try #require(try service.queryEmbedding(query, instruction: options.instruction))
        let hits = try service.semanticHits(embedding, options: options)
        #expect(!hits.isEmpty)
        let queryVector = try embedder.embedQueries([query], instruction: options.instruction, dimensions: dimensions)[0]
        let details = try service.assemble(lexical: [], semantic: hits, options: options)
        for result in details.prefix(8) {
            let chunkVector = try embedder.embedDocuments([result.context.isEmpty ? result.text : result.context + "\n" + result.text],
                                                         dimensions: dimensions)[0]
            let cosine = zip(queryVector, chunkVector).reduce(Float(0)) { $0 + $1.0 * $1.1 }
            #expect(abs((result.vectorScore ?? -2) - cosine) <= 1e-5)
        }
        // Best first, by the re-embedded cosine too.
        let scores = details.compactMap(\.vectorScore)
        #expect(scores == scores.sorted(by: >))
    }

    @Test("Given a query prepared once, when its lexical and fused results are taken, then they equal searching the text twice (plain, filtered, similar:)")
    func preparedQueryServesBothPasses() throws {
        let service = SampleCorpusIndex.service
        let similarSource = try #require(try service.lexicalSearch("bread", options: SearchService.Options()).first)
        var options = SearchService.Options()
        options.limit = 20
        for query in ["bread rise", "bread ext:md -sourdough", "similar:\(similarSource.path):\(similarSource.startLine)"] {
            let prepared = try service.prepare(query, options: options)
            let lexical = try service.lexicalResults(prepared, options: options)
            let fused = try service.search(prepared, options: options)

            #expect(lexical.map(\.chunkId) == (try service.lexicalSearch(query, options: options)).map(\.chunkId), "\(query)")
            #expect(fused.map(\.chunkId) == (try service.search(query, options: options)).map(\.chunkId), "\(query)")
            #expect(!fused.isEmpty, "\(query)")
        }
    }

    @Test("Given queries of emoji, symbols or invisible characters only, when searched, then nothing fails: no lexical terms, semantic results by meaning",
          arguments: ["🍞", "🍞🥖 🧀", "👩🏽‍🍳", "→ ★ ♪", "\u{200B}\u{FEFF}", "::", "-", "( ) * ^ ~"])
    func symbolOnlyQueries(query: String) throws {
        let service = SampleCorpusIndex.service
        let lexical = try service.lexicalSearch(query, options: SearchService.Options())
        let fused = try service.search(query, options: SearchService.Options())

        #expect(lexical.isEmpty, "\(query): \(lexical.map(\.path))")
        #expect(!fused.isEmpty && fused.allSatisfy { $0.lexicalRank == nil && $0.vectorRank != nil }, "\(query)")
        // An empty phrase leaves nothing to look for: no results, no error.
        #expect(try service.search("\"\"", options: SearchService.Options()).isEmpty)
    }

    @Test("Given the same query twice, when embedded, then the second comes from the cache")
    func queryCache() throws {
        let service = SampleCorpusIndex.service
        let first = try service.queryEmbedding("chickpeas", instruction: "x")
        let second = try service.queryEmbedding("chickpeas", instruction: "x")
        #expect(first == second)
        #expect(first != (try service.queryEmbedding("chickpeas", instruction: "y")))
    }

    @Test("Given a query, when searched, then results carry both lists' ranks and fused scores")
    func hybridResults() throws {
        var options = SearchService.Options()
        options.limit = 10
        // Without the per-file limit the list is in fused-score order; with it, a file's fourth chunk may wait.
        options.fusion.perFile = 0
        let results = try SampleCorpusIndex.service.search("sourdough", options: options)
        #expect(results.count == 10)
        #expect(results.map(\.fusedRank) == Array(1...10))
        let top = try #require(results.first)
        #expect(top.lexicalRank != nil)
        #expect(results.contains { $0.vectorRank != nil })
        #expect(results.map(\.fusedScore) == results.map(\.fusedScore).sorted(by: >))
        // A one-word query is symbol-like: its lexical list counts twice; every chunk has a vector (coverage 1).
        let weights = Fusion().weighted(for: LexicalQuery("sourdough"), semanticCoverage: 1)
        #expect(weights.lexicalWeight == 2 && weights.semanticWeight == 1)
        for result in results {
            let expected = (result.lexicalRank.map { 2 / Double(60 + $0) } ?? 0) + (result.vectorRank.map { 1 / Double(60 + $0) } ?? 0)
            #expect(abs(result.fusedScore - expected) < 1e-12, "\(result.path): fused \(result.fusedScore), expected \(expected)")
        }
    }
}
