import Foundation
import Testing
import Store
@testable import Search

/// Fusion weights by query kind and vector coverage, the rerank policy by content kind, and the
/// re-ranking factors' arithmetic (issue 31.3–31.4, 34.4): behaviour, not quality.
@Suite("Ranking policy")
struct RankingPolicyTests {
    static func result(_ id: Int64, _ path: String, fusedRank: Int, rerank: Float?) -> SearchResult {
        var result = SearchResult(chunkId: id, path: path, startLine: 1, endLine: 1, context: "", text: "", contentHash: Data([UInt8(id)]))
        result.fusedRank = fusedRank
        result.rerankScore = rerank
        return result
    }

    @Test("Given a symbol-like query and a sentence, when weighted, then the name trusts the lexical list twice and coverage scales the semantic list")
    func weights() {
        let symbol = Fusion().weighted(for: LexicalQuery("HttpRedirect"), semanticCoverage: 1)
        #expect(symbol.lexicalWeight == 2 && symbol.semanticWeight == 1)
        let sentence = Fusion().weighted(for: LexicalQuery("follow redirects after a login"), semanticCoverage: 0.25)
        #expect(sentence.lexicalWeight == 1 && sentence.semanticWeight == 0.25)
        // The semantic list's first hit against the only exact match, 1 % of the index embedded.
        let early = Fusion().weighted(for: LexicalQuery("wombatfestival"), semanticCoverage: 0.01)
        let fused = early.fuse([[7, 8, 9], [42]], weights: [early.semanticWeight, early.lexicalWeight])
        #expect(fused.first?.chunkId == 42)
        #expect(abs(fused[0].score - 2.0 / 61) < 1e-12 && abs(fused[1].score - 0.01 / 61) < 1e-12)
    }

    @Test("Given Qwen3-Reranker-0.6B and 4B sizes, when the policy is chosen, then 0.6B blends code and 4B/8B re-order everything")
    func policyBySize() {
        #expect(RerankPolicy.forReranker(hiddenSize: 1024) == .blendCode(weight: 0.5))
        #expect(RerankPolicy.forReranker(hiddenSize: 2560) == .reorder)
        #expect(RerankPolicy.forReranker(hiddenSize: 4096) == .reorder)
    }

    @Test("Given a strong first code hit the small reranker scores lower, when re-ordered, then blending keeps it first and prose still follows the scores")
    func blending() {
        let results = [
            Self.result(1, "/repo/src/auth.py", fusedRank: 1, rerank: 0.60),
            Self.result(2, "/repo/src/session.py", fusedRank: 2, rerank: 0.70),
            Self.result(3, "/repo/docs/auth.md", fusedRank: 3, rerank: 0.20),
            Self.result(4, "/repo/docs/guide.md", fusedRank: 4, rerank: 0.90),
        ]
        // Keys: code 0.5·0.60 + 0.5·1 = 0.80, 0.5·0.70 + 0.5·0.75 = 0.725; prose by score: 0.20, 0.90.
        #expect(RerankPass.reordered(results, depth: 4, policy: .blendCode(weight: 0.5)).map(\.chunkId) == [4, 1, 2, 3])
        #expect(RerankPass.reordered(results, depth: 4, policy: .reorder).map(\.chunkId) == [4, 2, 1, 3])
    }

    @Test("Given chunks covering one, two or all three query words, when re-ranked, then coverage orders equal BM25 scores by (0.35 + 0.65·c²)")
    func coverageArithmetic() {
        let query = LexicalQuery("lantern persimmon alley")
        let facts: [Int64: RankingFacts] = [
            1: RankingFacts(chunkId: 1, fileId: 1, relativePath: "a.md", symbol: nil, text: "lantern"),
            2: RankingFacts(chunkId: 2, fileId: 2, relativePath: "b.md", symbol: nil, text: "lantern persimmons"),
            3: RankingFacts(chunkId: 3, fileId: 3, relativePath: "c.md", symbol: nil, text: "the lanterns of persimmon alley"),
        ]
        var ranking = LexicalRanking()
        ranking.secondChunk = 0
        let ranked = ranking.rank([.init(chunkId: 1, score: 10), .init(chunkId: 2, score: 10), .init(chunkId: 3, score: 10)], query: query, facts: facts)
        #expect(ranked.map(\.chunkId) == [3, 2, 1])
        #expect(abs(ranked[0].score - 1.0) < 1e-9)
        #expect(abs(ranked[1].score - (0.35 + 0.65 * 4.0 / 9)) < 1e-9, "plural persimmons meets persimmon at its stem")
        #expect(abs(ranked[2].score - (0.35 + 0.65 / 9)) < 1e-9)
    }

    @Test("Given a symbol query, its definition, a use of it and a test, when re-ranked, then the definition leads, the use follows and the test is demoted")
    func definitionsFirst() {
        let query = LexicalQuery("GsonBuilder")
        #expect(query.isSymbolLike && query.names.contains("gsonbuilder"))
        let facts: [Int64: RankingFacts] = [
            1: RankingFacts(chunkId: 1, fileId: 1, relativePath: "src/Gson.java", symbol: "Gson, Gson.newBuilder", text: "GsonBuilder"),
            2: RankingFacts(chunkId: 2, fileId: 2, relativePath: "src/GsonBuilder.java", symbol: "GsonBuilder", text: "class GsonBuilder"),
            3: RankingFacts(chunkId: 3, fileId: 3, relativePath: "test/GsonBuilderTest.java", symbol: "GsonBuilderTest", text: "GsonBuilder"),
        ]
        let ranked = LexicalRanking().rank([.init(chunkId: 3, score: 12), .init(chunkId: 1, score: 11), .init(chunkId: 2, score: 10)],
                                           query: query, facts: facts)
        #expect(ranked.map(\.chunkId) == [2, 1, 3])
        // 10/12 × 2.5 (defines it) × 1.5 (file named for it); 11/12; 12/12 × 0.3 (a test).
        #expect(abs(ranked[0].score - 10.0 / 12 * 2.5 * 1.5) < 1e-9)
        #expect(abs(ranked[2].score - 0.3) < 1e-9)
        // A module named by its folder counts as a file named for the symbol.
        let ranking = LexicalRanking()
        #expect(ranking.fileNameFactor(LexicalQuery("WordPiece"), "src/models/wordpiece/mod.rs") == 1.5)
        #expect(ranking.fileNameFactor(LexicalQuery("Router"), "web/router/index.ts") == 1.5)
        #expect(ranking.fileNameFactor(LexicalQuery("requests"), "src/requests/__init__.py") == 1.5)
        #expect(ranking.fileNameFactor(LexicalQuery("Ledger"), "src/mod.rs") == 1 && ranking.fileNameFactor(LexicalQuery("index"), "web/index.ts") == 1.5)
    }

    @Test("Given a sentence whose words name a file and its folder, when re-ranked, then half the share of the words found is added before the file's prior, and a name or stop words get none")
    func pathWords() {
        let query = LexicalQuery("basic HTTP authentication middleware")
        #expect(!query.isSymbolLike)
        let words = PathWords(query: query, boost: 0.5)
        // basic, auth(entication) by prefix, middleware from the folder; http nowhere: 3 of 4.
        #expect(abs(words.bonus("server/middleware/basic_auth.go") - 0.5 * 3 / 4) < 1e-12)
        #expect(words.bonus("docs/security.md") == 0)
        #expect(PathWords.words(ofPath: "cmd/args.go") == Set(["args", "arg", "cmd"].map { Array($0.utf8) }))
        #expect(abs(PathWords(query: LexicalQuery("positional argument validators"), boost: 0.5).bonus("cmd/args.go") - 0.5 / 3) < 1e-12,
                "args meets argument at its stem")
        #expect(PathWords(query: LexicalQuery("BasicAuth"), boost: 0.5).bonus("basic_auth.go") == 0, "a name has the file-name factor instead")
        let sentence = PathWords(query: LexicalQuery("how does the parser work"), boost: 0.5)
        #expect(sentence.bonus("src/parser.py") == 0.5 && sentence.bonus("the/how.py") == 0, "stop words (how, does, the, work) neither match nor count")

        let text = "basic http authentication middleware"
        let facts: [Int64: RankingFacts] = [
            1: RankingFacts(chunkId: 1, fileId: 1, relativePath: "server/middleware/basic_auth.go", symbol: nil, text: text),
            2: RankingFacts(chunkId: 2, fileId: 2, relativePath: "docs/security.md", symbol: nil, text: text),
            3: RankingFacts(chunkId: 3, fileId: 3, relativePath: "tests/middleware/basic_auth_test.go", symbol: nil, text: text),
        ]
        let hits: [LexicalSearch.Hit] = [.init(chunkId: 2, score: 10), .init(chunkId: 3, score: 9), .init(chunkId: 1, score: 7)]
        let ranked = LexicalRanking().rank(hits, query: query, facts: facts)
        #expect(ranked.map(\.chunkId) == [1, 2, 3])
        #expect(abs(ranked[0].score - (0.7 + 0.375)) < 1e-9)
        #expect(abs(ranked[2].score - (0.9 + 0.375) * 0.3) < 1e-9, "the test's prior applies to the bonus too")
        var without = LexicalRanking()
        without.pathWordsBoost = 0
        #expect(without.rank(hits, query: query, facts: facts).map(\.chunkId) == [2, 1, 3])
    }

    @Test("Given one file with three matching chunks and another with one better chunk, when re-ranked, then the file's best chunk adds 0.3 and 0.15 of the next and later chunks halve")
    func fileAggregation() {
        let query = LexicalQuery("ledger")
        var facts: [Int64: RankingFacts] = [:]
        for id: Int64 in 1...3 { facts[id] = RankingFacts(chunkId: id, fileId: 1, relativePath: "a.md", symbol: nil, text: "ledger") }
        facts[4] = RankingFacts(chunkId: 4, fileId: 2, relativePath: "b.md", symbol: nil, text: "ledger")
        let hits: [LexicalSearch.Hit] = [.init(chunkId: 4, score: 10), .init(chunkId: 1, score: 9), .init(chunkId: 2, score: 8), .init(chunkId: 3, score: 7)]
        let ranked = LexicalRanking().rank(hits, query: query, facts: facts)
        #expect(ranked.map(\.chunkId) == [1, 4, 2, 3])
        #expect(abs(ranked[0].score - (0.9 + 0.3 * 0.8 + 0.15 * 0.7)) < 1e-9)
        #expect(abs(ranked[2].score - 0.8 * 0.5) < 1e-9 && abs(ranked[3].score - 0.7 * 0.25) < 1e-9)
    }

    @Test("Given paths of tests, examples, vendored, generated and source files, when classified, then each gets its role")
    func fileRoles() {
        #expect(FileRole.of("src/requests/auth.py") == .source)
        #expect(FileRole.of("tests/test_auth.py") == .test)
        #expect(FileRole.of("lib/auth_test.go") == .test)
        #expect(FileRole.of("src/GsonBuilderTest.java") == .test)
        #expect(FileRole.of("web/app.spec.ts") == .test)
        for name in ["src/Tests/RouterTest.php", "core/HttpClientSpec.kt", "Sources/CacheSpec.swift", "modules/ParserSuite.scala",
                     "lib/test_helper.rb", "crates/ast/src/parser_tests.rs"] {
            #expect(FileRole.of(name) == .test, "\(name)")
        }
        for name in ["Cargo.lock", "web/yarn.lock", "uv.lock", "go.sum", "pnpm-lock.yaml", "package-lock.json", "Package.resolved"] {
            #expect(FileRole.of(name) == .generated, "\(name)")
        }
        #expect(FileRole.of("src/Latest.php") == .source && FileRole.of("src/Contest.java") == .source && FileRole.of("src/Inspect.kt") == .source)
        #expect(FileRole.of("examples/basic/main.rs") == .example)
        #expect(FileRole.of("docs_src/dependencies/tutorial001.py") == .example, "the docs' example code (FastAPI, Typer)")
        #expect(FileRole.of("third_party/zlib/inflate.c") == .vendored)
        #expect(FileRole.of("static/jquery.min.js") == .generated)
        #expect(FileRole.of("types/index.d.ts") == .generated)
        #expect(FileRole.of("bindings/python/py_src/tokenizers/__init__.pyi") == .generated)
        #expect(FileRole.of("PKG-INFO") == .generated && FileRole.of("src/requests.egg-info/SOURCES.txt") == .generated)
        #expect(FileRole.of("django/conf/locale/fr/LC_MESSAGES/djangojs.po") == .generated && FileRole.of("po/messages.pot") == .generated)
        #expect(FileRole.of("src/pofile.py") == .source && FileRole.of("src/info.py") == .source)
        for history in ["CHANGELOG.md", "CHANGES.rst", "HISTORY", "NEWS.txt", "docs/releases/5.0.txt", "doc/whatsnew/3.12.rst", "changelog.d/123.bugfix.md"] {
            #expect(FileRole.of(history) == .history, "\(history)")
        }
        #expect(FileRole.of("src/history.py") == .source && FileRole.of("app/releases/manager.py") == .source, "code about a history is code")
        for overview in ["README.md", "README", "docs/readme.rst", "packages/core/README.txt"] {
            #expect(FileRole.of(overview) == .overview, "\(overview)")
        }
        #expect(FileRole.of("tools/readme.py") == .source, "code about a README is code")
        let ranking = LexicalRanking()
        #expect(ranking.prior("README.md", mentionsTests: false) == 0.5)
        #expect(ranking.prior("README.md", mentionsTests: false, mentionsOverview: true) == 1, "a query for the overview keeps it")
        #expect(ranking.prior("CHANGELOG.md", mentionsTests: false) == 0.5)
        #expect(ranking.prior("CHANGELOG.md", mentionsTests: false, mentionsHistory: true) == 1, "a query about what changed keeps it")
        #expect(ranking.prior("src/requests/auth.py", mentionsTests: false) == 1)
        #expect(ranking.prior("aiohttp/_http_parser.c", generated: true, mentionsTests: false) == 0.3, "a file whose header says a tool wrote it")
        var code = LexicalRanking()
        code.prefersCode = true
        #expect(code.prior("doc/manual.html", mentionsTests: false) == 0.7 && code.prior("lua/manual/manual.of", mentionsTests: false) == 0.7,
                "under the code preset, what a documentation folder holds is documentation")
        #expect(code.prior("docs/conf.py", mentionsTests: false) == 1 && code.prior("src/index.html", mentionsTests: false) == 1)
        #expect(FileRole.isDocumentation("docs/guide.rst") && FileRole.isDocumentation("README") && !FileRole.isDocumentation("src/a.py"))
    }

    @Test("Given text with a ligature and a camelCase name, when indexed, then financial finds ﬁnancial, and redirect, http and the whole name find HttpRedirect")
    func foldingAndParts() throws {
        let database = try AppDatabase.inMemory()
        let root = try database.addRoot(path: "/notes")
        for (index, text) in ["The ﬁnancial report for March.", "class HttpRedirect handles redirects.", "nothing here at all"].enumerated() {
            let draft = ChunkRow(startLine: 1, endLine: 1, startByte: 0, endByte: text.utf8.count, context: "", text: text,
                                   contentHash: Data([UInt8(index)]), tokenCount: 8)
            try database.saveIndexedFile(FileRecord(rootId: root.id ?? 0, path: "/notes/n\(index).md", size: 1, modifiedAt: 0, contentHash: nil,
                                                    status: .indexed, skipReason: nil), chunks: [draft])
        }
        let service = try SearchService(database: database, embedder: nil, model: nil)
        func files(_ query: String) throws -> [String] { try service.lexicalSearch(query, options: .init()).map(\.path) }
        #expect(try files("financial") == ["/notes/n0.md"])
        #expect(try files("ﬁnancial") == ["/notes/n0.md"], "the query is folded too")
        #expect(try files("redirect") == ["/notes/n1.md"])
        #expect(try files("http") == ["/notes/n1.md"])
        #expect(try files("HttpRedirect") == ["/notes/n1.md"])
        #expect(try files("redirecting") == ["/notes/n1.md"], "stems meet")
    }

    @Test("Given every chunk of the sample corpus, when coverage is read from the index's own words, then it equals coverage derived again from the text, query by query")
    func coverageFromIndexedWordsEqualsDerived() throws {
        let database = SampleCorpusIndex.service.database
        let ids = try database.chunkIds(fileIds: try database.indexedFiles().map(\.id))
        let facts = try database.rankingFacts(ids: Array(ids))
        #expect(facts.count == ids.count && facts.values.allSatisfy { $0.indexedWords != nil })
        let queries = [LexicalQuery("sourdough starters"), LexicalQuery("parsing configuration files"), LexicalQuery("HttpRedirect"),
                       LexicalQuery("feeding schedule", typing: true), LexicalQuery("lantern persimmon alley"), LexicalQuery("auth tokens")]
        var nonzero = 0
        for query in queries {
            for fact in facts.values {
                let derived = RankingFacts(chunkId: fact.chunkId, fileId: fact.fileId, relativePath: fact.relativePath,
                                           symbol: fact.symbol, text: fact.text)
                let fromIndex = LexicalRanking.coverage(of: query, in: fact)
                #expect(fromIndex == LexicalRanking.coverage(of: query, in: derived), "\(query.groups.map(\.word)) in \(fact.relativePath)")
                if fromIndex > 0 { nonzero += 1 }
            }
        }
        #expect(nonzero > 20, "the queries match something")
    }
}
