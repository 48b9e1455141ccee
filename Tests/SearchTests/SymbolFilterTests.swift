import Corpus
import Foundation
import Store
import Testing
@testable import Search

/// `sym:` patterns: parsed from the query line, matched against own names and whole symbol paths.
@Suite("Symbol filters")
struct SymbolFilterTests {
    @Test("Given sym: globs, when matched, then the own name or the whole path matches, case-insensitively, in every language's convention")
    func patterns() {
        let reconcile = SymbolPattern("reconcile")
        for symbol in ["Ledger.reconcile", "Ledger::reconcile", "Ledger#reconcile", "reconcile", "LEDGER.RECONCILE"] {
            #expect(reconcile.matches(symbol), "\(symbol)")
        }
        #expect(!reconcile.matches("ledger_reconcile") && !reconcile.matches("Ledger.reconciled"))
        #expect(SymbolPattern("*reconcile").matches("ledger_reconcile"))
        let ledger = SymbolPattern("Ledger.*")
        #expect(ledger.matches("Ledger.open") && ledger.matches("ledger.Close") && !ledger.matches("Ledger::open") && !ledger.matches("Books.open"))
        #expect(SymbolPattern("Ledger::*").matches("Ledger::open"))
        #expect(SymbolPattern("re?oncile").matches("Ledger.reconcile"))
        #expect(reconcile.matches(anyOf: "Ledger, Ledger.reconcile") && !reconcile.matches(anyOf: "Ledger, Ledger.open"))
        let ownNames = ["Ledger.reconcile": "reconcile", "Ledger::reconcile": "reconcile", "Ledger#reconcile": "reconcile",
                        "Ledger:reconcile": "reconcile", "a::b.c#d": "d", "a#b.c": "c", "plain": "plain", "trailing.": "", "Ünï.cödé": "cödé"]
        for (symbol, name) in ownNames { #expect(SymbolPattern.ownName(symbol) == name, "\(symbol)") }
    }

    @Test("Given sym: patterns, when a chunk's symbols are weighed, then an exact name is closest, a glob match next, no match nil")
    func closeness() {
        #expect(SymbolPattern("reconcile").closeness(anyOf: "Ledger.reconcile") == 0)
        #expect(SymbolPattern("Ledger.Reconcile").closeness(anyOf: "Books, Ledger.reconcile") == 0)
        #expect(SymbolPattern("reconcile").closeness(anyOf: "Ledger.reconciled") == nil)
        #expect(SymbolPattern("reconcile*").closeness(anyOf: "Ledger.reconciled") == 1)
        #expect(SymbolPattern("Ledger").closeness(anyOf: "Ledger, Ledger.open") == 0)
        #expect(SymbolPattern("Ledger.*").closeness(anyOf: "Ledger, Ledger.open") == 1)
    }

    @Test("Given a sym: query, when a chunk's best line is picked, then it is the definition's line, not its doc comment or decorator")
    func bestLineIsTheDefinition() {
        #expect(QueryAnalysis("sym:Ledger.reconcile balance").symbolTerms == ["reconcile"])
        #expect(QueryAnalysis("sym:*reconcile sym:Ledger.*").symbolTerms == ["reconcile"])
        let text = "  /** Reconcile the ledger. */\n  @audited(\"reconcile\")\n  reconcile(amount: number): number {\n    return amount;\n  }"
        let result = SearchResult(chunkId: 1, path: "/src/ledger.ts", startLine: 33, endLine: 37, context: "Ledger.reconcile", text: text,
                                  contentHash: Data([1]))
        let best = result.bestLine(for: QueryAnalysis("sym:reconcile"))
        #expect(best.offset == 2 && best.column == 3, "\(best)")
        #expect(result.bestLine(terms: ["reconcile"]).offset == 0, "a word query keeps the first line naming it")
    }

    @Test("Given a query with sym:, when parsed, then the pattern is a filter (lowercased) and the words remain")
    func parsing() throws {
        let parsed = try QuerySyntax.parse("balance sym:Ledger.* sym:reconcile")
        #expect(parsed.text == "balance")
        #expect(parsed.filters.symbols == ["ledger.*", "reconcile"])
        #expect(parsed.filters.summary.contains("sym:ledger.*"))
        #expect(throws: QuerySyntaxError.self) { try QuerySyntax.parse("sym:") }
    }
}

extension SymbolFilterTests {
    @Test("Given a semantic hit with no query word in it, when its best line is picked, then it is its definition, else a line that says something — not a separator or a lone attribute")
    func semanticHitSnippet() {
        let code = "//===----------------------------------------===//\n@Test\nfunc ledgerBalancesAfterTransfer() {\n    #expect(total == 0)\n}"
        var result = SearchResult(chunkId: 1, path: "/src/LedgerTests.swift", startLine: 10, endLine: 14, context: "", text: code,
                                  contentHash: Data([1]))
        result.symbol = "LedgerTests.ledgerBalancesAfterTransfer"
        #expect(result.bestLine(terms: ["zzqq"]).offset == 2)
        result.symbol = nil
        #expect(result.bestLine(terms: ["zzqq"]).offset == 2, "no symbol: the first line that says something")
        let prose = SearchResult(chunkId: 2, path: "/notes/a.md", startLine: 1, endLine: 3, context: "", text: "# Kyoto\n\n---\nLanterns along the alley.",
                                 contentHash: Data([2]))
        #expect(prose.bestLine(terms: []).text == "Lanterns along the alley.")
    }
}

extension SymbolFilterTests {
    @Test("Given sym: patterns over the sample corpus's code, when resolved through the index's symbol column, then the chunks kept are those a scan of every symbol keeps")
    func indexPrefilterEqualsScan() throws {
        let database = SampleCorpusIndex.service.database
        let files = try database.indexedFiles()
        let all = try database.chunkSymbols(fileIds: files.map(\.id))
        let held = Set(all.values.flatMap { $0.split(separator: ",").map { SymbolPattern.ownName($0.trimmingCharacters(in: .whitespaces)) } })
        #expect(held.count > 20, "the corpus's code has symbols to find")
        // Every own name held, its first three letters as a glob, a leading wildcard before its end and around its
        // middle, and patterns of every shape.
        var patterns: [String] = []
        for name in held.sorted() {
            let middle = String(name.dropFirst().prefix(3))
            let patternsOfName: [String] = [name, String(name.prefix(3)) + "*", name.uppercased(), "*" + String(name.suffix(3)), "*" + middle + "*",
                                            "?" + String(name.dropFirst())]
            patterns += patternsOfName
        }
        patterns += ["*", "*e", "?a*", "[a-m]*", "nothing_named_this", "Ledger.*", "*.*", "a*b*", "*_*", "*%*", "*led?er*"]
        var prefiltered = 0
        for text in patterns {
            let pattern = SymbolPattern(text)
            let scan = Set(all.filter { pattern.matches(anyOf: $0.value) }.keys)
            var filters = SearchFilters()
            filters.symbols = [text]
            let kept = try CandidateSet.resolve(filters, in: database).chunkIds()
            if CandidateSet.symbolExpression([pattern]) != nil || pattern.longestLiteral != nil { prefiltered += 1 }
            #expect(kept == scan, "sym:\(text)")
        }
        #expect(prefiltered > held.count * 5, "most patterns hold a word or a text the index can look up")
        #expect(CandidateSet.symbolExpression([SymbolPattern("*send")]) == nil && CandidateSet.symbolExpression([SymbolPattern("[a-m]*")]) == nil)
        #expect(CandidateSet.symbolExpression([SymbolPattern("Led*")]) == "symbol : (\"led\" *)")
        #expect(CandidateSet.symbolExpression([SymbolPattern("Ledger.re*"), SymbolPattern("safe_parse")])
                == "symbol : (\"ledger\" AND \"re\" * AND \"safe\" AND \"parse\")")
    }

    @Test("Given symbols beyond ASCII and LIKE's own characters, when a leading-wildcard pattern is looked up by its longest text, then it keeps what a scan keeps")
    func longestTextPrefilter() throws {
        #expect(SymbolPattern("*send").longestLiteral == "send" && SymbolPattern("*ab*cde?f").longestLiteral == "cde")
        #expect(SymbolPattern("*a*").longestLiteral == nil && SymbolPattern("*Üb*").longestLiteral == nil, "one byte, or none beyond ASCII")
        let database = try AppDatabase.inMemory()
        let rootId = try #require(try database.addRoot(path: "/code").id)
        let symbols = ["ÜberSend", "\u{212A}eyring", "KEYRING", "safe_send", "safe%send", "reSend, Other.thing", "sender", "nothing"]
        let drafts = symbols.enumerated().map { index, symbol in
            ChunkRow(startLine: index + 1, endLine: index + 1, context: "", text: "x", contentHash: Data([UInt8(index)]), symbol: symbol)
        }
        _ = try database.saveIndexedFile(FileRecord(rootId: rootId, path: "/code/a.swift", size: 1, modifiedAt: 1, contentHash: nil, status: .indexed,
                                                    skipReason: nil, indexedAt: Date()), chunks: drafts)
        let all = try database.chunkSymbols(fileIds: try database.indexedFiles().map(\.id))
        for text in ["*send", "*SEND", "*keyr*", "*e_s*", "*e%s*", "*_send", "*ü*", "*rsend", "*thing", "*ing"] {
            let pattern = SymbolPattern(text)
            var filters = SearchFilters()
            filters.symbols = [text]
            let kept = try CandidateSet.resolve(filters, in: database).chunkIds()
            #expect(kept == Set(all.filter { pattern.matches(anyOf: $0.value) }.keys), "sym:\(text)")
        }
        var kelvin = SearchFilters()
        kelvin.symbols = ["*keyr*"]
        #expect(try CandidateSet.resolve(kelvin, in: database).chunkIds().count == 2, "the Kelvin sign's lowercase is k: both key rings")
    }
}
