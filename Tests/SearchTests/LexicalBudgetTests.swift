import Foundation
import Synchronization
import Testing
import Store
@testable import Search

/// A keystroke never waits on an old query (issue #34.1): the lexical SQL is cancellable and bounded,
/// a one- or two-letter last word is no prefix, and a filter costs what the query costs.
@Suite("Lexical search: cancellable and bounded", .serialized)
struct LexicalBudgetTests {
    /// 200 files of 100 chunks (20,000), every chunk holding words that start with p, some `.md`.
    static let database: AppDatabase = {
        do {
            let database = try AppDatabase.inMemory()
            let root = try database.addRoot(path: "/notes")
            let words = ["pool", "pooling", "pond", "paper", "parse", "pattern", "pixel", "plan", "prefix", "point"]
            for file in 0..<200 {
                let chunks = (0..<100).map { index in
                    let text = (0..<12).map { words[($0 * 7 + index + file) % words.count] + "\(($0 + index) % 50)" }.joined(separator: " ")
                        + " " + words[(index + file) % words.count]
                    return ChunkRow(startLine: index + 1, endLine: index + 1, startByte: 0, endByte: text.utf8.count, context: "",
                                      text: text, contentHash: Data("\(file)-\(index)".utf8), tokenCount: 20)
                }
                let path = "/notes/f\(file)." + (file % 4 == 0 ? "md" : "txt")
                try database.saveIndexedFile(FileRecord(rootId: root.id ?? 0, path: path, size: 1, modifiedAt: 0, contentHash: nil,
                                                        status: .indexed, skipReason: nil, indexedAt: Date()), chunks: chunks)
            }
            return database
        } catch {
            fatalError("cannot build the test index: \(error)")
        }
    }()

    @Test("Given a search whose query is replaced while its SQL runs, when the progress handler next looks, then the statement stops as cancelled")
    func cancelledMidStatement() throws {
        let calls = Atomic<Int>(0)
        // false when asked before the statement starts, true from the progress handler's first look on.
        let budget = QueryBudget(isCancelled: { calls.add(1, ordering: .relaxed).newValue > 1 })
        #expect(throws: StoreError.stopped(operation: "search the full-text index", reason: .cancelled)) {
            try Self.database.fullTextMatches(.words, expression: "\"pool\" OR \"pond\" OR \"paper\" OR \"pat\" *", weights: [1, 0.4, 4, 0.5, 3],
                                              limit: 100, budget: budget)
        }
        #expect(calls.load(ordering: .relaxed) >= 2, "the progress handler asked")
        #expect(Error?.some(StoreError.stopped(operation: "x", reason: .cancelled))?.isSearchCancellation == true)
    }

    @Test("Given a search past its deadline, when it runs, then it stops as timed out and says how to narrow the query")
    func deadline() throws {
        let budget = QueryBudget(seconds: 0)
        #expect(throws: StoreError.stopped(operation: "search the full-text index", reason: .timedOut)) {
            try Self.database.fullTextMatches(.words, expression: "\"pool\" OR \"pond\" OR \"paper\"", weights: [1, 0.4, 4, 0.5, 3], limit: 100, budget: budget)
        }
        #expect(StoreError.stopped(operation: "search", reason: .timedOut).description.contains("type more of the query"))
    }

    @Test("Given a last word being typed, when analysed, then it is a prefix only from three letters on, and never once the word is finished")
    func prefixOnlyWhileTyping() {
        #expect(LexicalQuery("ext:md p", typing: true).prefix == nil)
        #expect(LexicalQuery("po", typing: true).prefix == nil)
        #expect(LexicalQuery("poo", typing: true).prefix == "poo")
        #expect(LexicalQuery("poo ", typing: true).prefix == nil, "a space ends the word")
        #expect(LexicalQuery("poo", typing: false).prefix == nil, "the CLI and MCP search finished words")
    }

    @Test("Given a filter keeping a quarter of 20,000 chunks, when searched with a one-letter word as typed letter by letter, then every keystroke answers, in order of the unfiltered ranking")
    func filteredKeystrokes() throws {
        let service = try SearchService(database: Self.database, embedder: nil, model: nil)
        var options = SearchService.Options()
        options.typing = true
        options.lexicalSeconds = 30
        for typed in ["ext:md p", "ext:md po", "ext:md poo", "ext:md pool"] {
            let started = ContinuousClock.now
            let results = try service.lexicalSearch(typed, options: options)
            // Minutes before the fix (FTS5 ran the match once per candidate); a bound far from any machine's noise.
            #expect(ContinuousClock.now - started < .seconds(10), "\(typed)")
            #expect(results.allSatisfy { $0.path.hasSuffix(".md") }, "\(typed)")
            if typed.hasSuffix("pool") || typed.hasSuffix("poo") { #expect(!results.isEmpty, "\(typed)") }
        }
        let all = try Self.database.fullTextMatches(.words, expression: "\"pool\"", weights: [1, 0, 0, 0, 0], limit: 20_000)
        let markdown = Set(try Self.database.indexedFiles().filter { $0.path.hasSuffix(".md") }.map(\.id))
        let allowed = Set(try Self.database.chunks(fileIds: Array(markdown)).map(\.id))
        let filtered = try Self.database.fullTextMatches(.words, expression: "\"pool\"", weights: [1, 0, 0, 0, 0], limit: 50, within: allowed)
        #expect(filtered.map(\.chunkId) == Array(all.map(\.chunkId).filter(allowed.contains).prefix(50)))
        // Kept rows only at the bottom of the ranking, among many chunks that do not match: they are kept before the
        // ranking, so they come back, in the unfiltered ranking's order (a window of ranked rows read first holds none).
        let matching = Set(all.map(\.chunkId))
        let everyChunk = try Self.database.chunks(fileIds: try Self.database.indexedFiles().map(\.id)).map(\.id)
        let bottom = Set(all.suffix(60).map(\.chunkId)).union(everyChunk.filter { !matching.contains($0) }.prefix(10_000))
        #expect(all.count > 4 * 256, "enough matches that the kept ones rank far below the first rows")
        let last = try Self.database.fullTextMatches(.words, expression: "\"pool\"", weights: [1, 0, 0, 0, 0], limit: 50, within: bottom)
        #expect(last.map(\.chunkId) == Array(all.suffix(60).map(\.chunkId).prefix(50)))
    }
}
