import Corpus
import Foundation
import Store

/// Re-scores BM25's candidates the way code wants them ranked (each factor is one row of README
/// Performance's ablation table, measured with `qwery eval`):
/// - **coverage**: a chunk holding every word of the query beats one holding a few (a boost, not a gate);
/// - **definitions first**: a chunk whose symbols define a name in the query (strongest for a symbol-like
///   query), and a file named for it;
/// - **path words**: a sentence's words in a file's name and folder (`PathWords`);
/// - **priors**: tests, examples, vendored, generated and minified files, `.d.ts` stubs, changelogs and READMEs are
///   demoted, never hidden; under the code preset, documentation after code;
/// - **files, not chunks**: a file's score adds its next best chunks' (several matching chunks rise), and
///   a file's later chunks decay instead of a fixed number per file.
package struct LexicalRanking: Sendable, Equatable {
    package var coverageFloor = 0.35
    package var definitionBoost = 2.5
    package var sentenceDefinitionBoost = 1.5
    package var fileNameBoost = 1.5
    package var testPrior = 0.3
    package var examplePrior = 0.7
    package var vendoredPrior = 0.4
    package var generatedPrior = 0.3
    package var historyPrior = 0.5
    package var overviewPrior = 0.5
    package var documentationPrior = 0.7
    /// What a sentence query's words found in a file's name and folder add to its chunks' scores (a share of the
    /// best score: `basic HTTP authentication middleware` → `middleware/basic_auth.go` says three of its four words).
    package var pathWordsBoost = 0.5
    /// Weights of a file's second and third best chunks in its score.
    package var secondChunk = 0.3
    package var thirdChunk = 0.15
    /// Each later chunk of a file counts this much less than the one before (in front of other files' chunks).
    package var laterChunkDecay = 0.5
    /// Whether documentation ranks after code (the code preset).
    package var prefersCode = false
    /// Whether code ranks after documentation (the docs preset).
    package var prefersDocs = false

    /// The docs preset: code after documentation, and neither a definition nor a file named for the query nor the
    /// symbol column lifts code — a name the docs explain finds the page that explains it (measured on the prose
    /// development set: definitions-first and the symbol column cost its keyword queries, README Performance).
    package mutating func prefersDocumentation() {
        prefersDocs = true
        definitionBoost = 1
        sentenceDefinitionBoost = 1
        fileNameBoost = 1
        if columnWeights.count > 4 { columnWeights[4] = columnWeights[0] }
    }
    /// BM25 weights of the words index's columns: text, variants (stems, identifier parts), file name,
    /// folders, symbols.
    package var columnWeights: [Double] = [1.0, 0.4, 4.0, 0.5, 3.0]
    /// Whether query words bring their variants (stems, identifier parts, abbreviations).
    package var expandsWords = true
    /// Whether identifiers of several words and a sentence's neighbouring words are also searched as phrases.
    package var searchesPhrases = true
    /// Whether BM25's own order is kept (no re-ranking).
    package var isPlain = false

    package init() {}

    /// No factor at all: BM25's order (the ablation's baseline).
    package static var plainBM25: LexicalRanking {
        var ranking = LexicalRanking()
        ranking.coverageFloor = 1
        ranking.definitionBoost = 1
        ranking.sentenceDefinitionBoost = 1
        ranking.fileNameBoost = 1
        ranking.pathWordsBoost = 0
        ranking.testPrior = 1
        ranking.examplePrior = 1
        ranking.vendoredPrior = 1
        ranking.generatedPrior = 1
        ranking.historyPrior = 1
        ranking.overviewPrior = 1
        ranking.documentationPrior = 1
        ranking.secondChunk = 0
        ranking.thirdChunk = 0
        ranking.laterChunkDecay = 1
        ranking.columnWeights = [1.0, 0, 0, 0, 0]
        ranking.isPlain = true
        ranking.expandsWords = false
        ranking.searchesPhrases = false
        return ranking
    }

    /// `hits` (BM25, best first) re-ordered; scores are the new ones.
    func rank(_ hits: [LexicalSearch.Hit], query: LexicalQuery, facts: [Int64: RankingFacts]) -> [LexicalSearch.Hit] {
        guard let best = hits.first?.score, best > 0 else { return hits }
        let mentionsTests = query.groups.contains { ["test", "tests", "testing", "spec", "mock", "fixture"].contains($0.word) }
        let mentionsHistory = query.groups.contains { Self.historyWords.contains($0.word) }
        let mentionsOverview = query.groups.contains { Self.overviewWords.contains($0.word) }
        var scored: [(hit: LexicalSearch.Hit, fileId: Int64)] = []
        // A file's prior and name factor once per file, not per chunk (its path split and classified four ways).
        var priorOfFile: [Int64: (factor: Double, pathWords: Double)] = [:]
        let pathWords = PathWords(query: query, boost: pathWordsBoost)
        for hit in hits {
            guard let chunk = facts[hit.chunkId] else { continue }
            var score = hit.score / best
            score *= coverageFloor + (1 - coverageFloor) * pow(Self.coverage(of: query, in: chunk), 2)
            score *= definitionFactor(query, chunk.symbol)
            let file = priorOfFile[chunk.fileId]
                ?? (prior(chunk.relativePath, generated: chunk.generated, mentionsTests: mentionsTests, mentionsHistory: mentionsHistory,
                          mentionsOverview: mentionsOverview)
                    * fileNameFactor(query, chunk.relativePath), pathWords.bonus(chunk.relativePath))
            priorOfFile[chunk.fileId] = file
            score = (score + file.pathWords) * file.factor
            scored.append((LexicalSearch.Hit(chunkId: hit.chunkId, score: score), chunk.fileId))
        }
        return aggregatedByFile(scored)
    }

    /// The share of the query's groups found in the chunk's text, symbols or path (any variant).
    /// The forms come from what the index already holds for the chunk when the facts carry it (the text's words
    /// lowercased, and the variant, name, folder and symbol words worked out when it was indexed): deriving them
    /// again from 200 candidates' text — stems and identifier parts of every word — was 12.8 of a 48 ms
    /// `qwery search` on a 453-chunk index (perf).
    static func coverage(of query: LexicalQuery, in chunk: RankingFacts) -> Double {
        guard !query.groups.isEmpty else { return 1 }
        if let indexed = chunk.indexedWords { return coverage(of: query, inWords: [chunk.text, indexed]) }
        let forms = SearchTerms.indexedForms([chunk.text, chunk.symbol ?? "", chunk.relativePath])
        let found = query.groups.filter { group in
            group.variantBytes.contains { forms.contains($0) }
                || (query.prefix == group.word && forms.contains { $0.starts(with: group.variantBytes[0]) })
        }
        return Double(found.count) / Double(query.groups.count)
    }

    /// `coverage` over words that already hold every indexed form: each word compared in place, lowercased byte by
    /// byte, with the groups' forms (lengths first), until every group is found — no set of the chunk's words, no
    /// array of its words (slices of one array retained and released each: 70 % of the lexical stage on the code
    /// development set, perf).
    private static func coverage(of query: LexicalQuery, inWords texts: [String]) -> Double {
        let forms = query.groups.map(\.variantBytes)
        let isPrefix = query.groups.map { query.prefix == $0.word }
        var found = [Bool](repeating: false, count: forms.count)
        var missing = forms.count
        @inline(__always) func same(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ form: [UInt8]) -> Bool {
            for offset in form.indices {
                let byte = bytes[start + offset]
                if (byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) != form[offset] { return false }
            }
            return true
        }
        for text in texts where missing > 0 {
            SearchTerms.forEachWord(in: text) { bytes, word in
                for group in forms.indices where !found[group] {
                    let variants = forms[group]
                    if variants.contains(where: { $0.count == word.count && same(bytes, word.lowerBound, $0) })
                        || (isPrefix[group] && word.count >= variants[0].count && same(bytes, word.lowerBound, variants[0])) {
                        found[group] = true
                        missing -= 1
                    }
                }
                return missing > 0
            }
        }
        return Double(forms.count - missing) / Double(forms.count)
    }

    /// How much a chunk's definitions match the names in the query.
    func definitionFactor(_ query: LexicalQuery, _ symbol: String?) -> Double {
        guard !query.names.isEmpty, let symbol else { return 1 }
        // Most candidates' symbols hold none of the names at all: a byte search says so before the names are derived.
        let lowered = Array(symbol.lowercased().utf8)
        guard query.nameTails.contains(where: { Self.holds(lowered, $0) }) else { return 1 }
        let defined = Self.definedNames(symbol)
        return query.names.contains(where: defined.contains) ? (query.isSymbolLike ? definitionBoost : sentenceDefinitionBoost) : 1
    }

    /// Whether `bytes` hold `part` somewhere (an empty part is held).
    static func holds(_ bytes: [UInt8], _ part: [UInt8]) -> Bool {
        guard !part.isEmpty else { return true }
        guard bytes.count >= part.count else { return false }
        return (0...(bytes.count - part.count)).contains { start in bytes[start] == part[0] && bytes[start..<start + part.count].elementsEqual(part) }
    }

    /// How much the file's name matches a symbol-like query (`Request` → `request.py`).
    func fileNameFactor(_ query: LexicalQuery, _ relativePath: String) -> Double {
        guard query.isSymbolLike, !query.names.isEmpty else { return 1 }
        let components = relativePath.split(separator: "/")
        let fileName = String(components.last ?? Substring(relativePath))
        var stems = [Self.compact(fileName.split(separator: ".").first.map(String.init) ?? fileName)]
        // A module named by its folder: Rust's `wordpiece/mod.rs`, Python's `requests/__init__.py`, `router/index.ts`.
        if Self.folderNamedModules.contains(stems[0]), components.count > 1 { stems.append(Self.compact(String(components[components.count - 2]))) }
        return query.names.contains(where: { stems.contains(Self.compact($0)) }) ? fileNameBoost : 1
    }

    /// File stems (compacted) of a module that takes its folder's name.
    static let folderNamedModules: Set<String> = ["mod", "init", "index"]

    /// A chunk's defined names, lowercased: each symbol whole (`ledger.reconcile`, separators as dots) and
    /// its own last name (`reconcile`).
    static func definedNames(_ symbol: String?) -> Set<String> {
        guard let symbol, !symbol.isEmpty else { return [] }
        var names = Set<String>()
        for one in symbol.split(separator: ",") {
            let words = SearchTerms.words(one).map { $0.lowercased() }
            guard let last = words.last else { continue }
            names.insert(last)
            if words.count > 1 {
                names.insert(words.joined(separator: "."))
                names.insert(words.suffix(2).joined(separator: "."))
            }
        }
        return names
    }

    /// Letters and digits only, lowercased (`basic_auth` → `basicauth`).
    static func compact(_ name: String) -> String {
        String(name.lowercased().filter { $0.isLetter || $0.isNumber })
    }

    /// Query words that ask for a project's overview: its README is then not demoted.
    static let overviewWords: Set<String> = ["readme", "overview", "introduction", "install", "installation", "installing", "quickstart"]
    /// Query words that ask for the project's history: its changelog is then not demoted.
    static let historyWords: Set<String> = ["changelog", "changes", "changed", "history", "release", "releases", "released", "version",
                                            "versions", "news", "deprecated", "deprecation", "removed", "added"]

    /// The prior of a file by its path: demoted, never hidden.
    func prior(_ relativePath: String, generated: Bool = false, mentionsTests: Bool, mentionsHistory: Bool = false,
               mentionsOverview: Bool = false) -> Double {
        var factor = 1.0
        switch generated ? .generated : FileRole.of(relativePath) {
        case .test: factor = mentionsTests ? 1 : testPrior
        case .example: factor = examplePrior
        case .vendored: factor = vendoredPrior
        case .generated: factor = generatedPrior
        case .history: factor = mentionsHistory ? 1 : historyPrior
        case .overview: factor = mentionsOverview ? 1 : overviewPrior
        case .source: factor = 1
        }
        if prefersCode, FileRole.isDocumentation(relativePath) || FileRole.isInDocumentationFolder(relativePath) { factor *= documentationPrior }
        if prefersDocs, !FileRole.isDocumentation(relativePath), FileKind(path: relativePath) == .code { factor *= documentationPrior }
        return factor
    }

    /// Each file's best chunk scored with its next best chunks' help; later chunks decay; best first.
    func aggregatedByFile(_ scored: [(hit: LexicalSearch.Hit, fileId: Int64)]) -> [LexicalSearch.Hit] {
        var byFile: [Int64: [LexicalSearch.Hit]] = [:]
        for entry in scored { byFile[entry.fileId, default: []].append(entry.hit) }
        var ranked: [LexicalSearch.Hit] = []
        for (_, hits) in byFile {
            let sorted = hits.sorted { $0.score != $1.score ? $0.score > $1.score : $0.chunkId < $1.chunkId }
            var fileScore = sorted[0].score
            if sorted.count > 1 { fileScore += secondChunk * sorted[1].score }
            if sorted.count > 2 { fileScore += thirdChunk * sorted[2].score }
            ranked.append(LexicalSearch.Hit(chunkId: sorted[0].chunkId, score: fileScore))
            var weight = 1.0
            for later in sorted.dropFirst() {
                weight *= laterChunkDecay
                ranked.append(LexicalSearch.Hit(chunkId: later.chunkId, score: later.score * weight))
            }
        }
        return ranked.sorted { $0.score != $1.score ? $0.score > $1.score : $0.chunkId < $1.chunkId }
    }
}

/// What a file is for, by its path: source, or a test, example, vendored copy, generated file or the project's
/// history (a changelog, release notes) or an overview of it (a README).
package enum FileRole: Sendable, Equatable {
    case source, test, example, vendored, generated, history, overview

    package static func of(_ relativePath: String) -> FileRole {
        let lower = relativePath.lowercased()
        let components = lower.split(separator: "/").map(String.init)
        let name = components.last ?? lower
        let folders = components.dropLast()
        if name.hasSuffix(".min.js") || name.hasSuffix(".min.css") || name.hasSuffix(".pb.go") || name.hasSuffix("_pb2.py")
            || name.contains(".generated.") || name.hasSuffix(".g.dart") || name.hasSuffix(".d.ts") {
            return .generated
        }
        // Lock files a package manager writes (`Cargo.lock`, `yarn.lock`, `uv.lock`, `go.sum`…): every dependency's name
        // and version, words a query shares with the code that uses them.
        if name.hasSuffix(".lock") || ["package-lock.json", "npm-shrinkwrap.json", "pnpm-lock.yaml", "go.sum", "package.resolved"].contains(name) {
            return .generated
        }
        // Copies a tool writes of what the project says elsewhere: Python's `.pyi` stubs (as `.d.ts`), the metadata a
        // package build writes (`PKG-INFO`, `*.egg-info/`: the README again) and message catalogues (`.po`, `.pot`:
        // every user-facing string of the code, once per language). They hold the query's words without being what
        // is looked for.
        if name.hasSuffix(".pyi") || name == "pkg-info" || name.hasSuffix(".po") || name.hasSuffix(".pot")
            || folders.contains(where: { $0.hasSuffix(".egg-info") || $0.hasSuffix(".dist-info") }) {
            return .generated
        }
        if folders.contains(where: { ["vendor", "vendored", "third_party", "thirdparty", "third-party", "node_modules", "external", "extern", "deps", "_vendor"].contains($0) }) {
            return .vendored
        }
        if folders.contains(where: { ["test", "tests", "testing", "__tests__", "spec", "specs", "testdata", "test_data", "fixtures", "benchmarks", "bench"].contains($0) })
            || name.hasPrefix("test_") || name.contains("_test.") || name.contains(".test.") || name.contains(".spec.")
            || name.contains("_spec.") || name.hasPrefix("test_helper") || name == "conftest.py" || name.hasSuffix("_tests.rs")
            || Self.testSuffixes.contains(where: FileKind.fileName(of: relativePath).hasSuffix) {
            return .test
        }
        if folders.contains(where: { ["example", "examples", "sample", "samples", "demo", "demos", "tutorial", "tutorials", "docs_src"].contains($0) }) {
            return .example
        }
        // A changelog names every feature once more — what changed, not how it works — and outranks the code for
        // words it shares with it: in the development and held-out sets' top ten, 125 times, never the file sought.
        // Prose only: `history.py` is code about a history.
        let stem = name.split(separator: ".").first.map(String.init) ?? name
        if isDocumentation(relativePath), ["changelog", "changes", "history", "news", "release_notes", "releasenotes", "release-notes",
                                           "whatsnew"].contains(stem)
            || folders.contains(where: { ["releases", "changelog", "changelogs", "changelog.d", "whatsnew", "release-notes", "newsfragments"].contains($0) }) {
            return .history
        }
        // A README says what the project is, in the words of every feature it has — an overview, not where a feature
        // is explained or done: in the top ten of 48 development queries (held-out 17, short-query set 69), never the
        // file sought.
        if stem == "readme", isDocumentation(relativePath) { return .overview }
        return .source
    }

    /// Test classes named by their language's convention (`FooTest.java`, `FooSpec.kt`, `FooSuite.scala`, `FooTest.php`) —
    /// capitalised, as they are written: `Latest.php` and `Contest.java` are not tests.
    static let testSuffixes = ["Test.java", "Tests.java", "Test.kt", "Tests.kt", "Spec.kt", "Test.cs", "Tests.cs", "Test.swift",
                               "Tests.swift", "Spec.swift", "Test.scala", "Spec.scala", "Suite.scala", "Test.php", "Tests.php"]

    /// A file other than code under a documentation folder (`doc/manual.html`, `docs/index.txt`, `manual/manual.of`).
    package static func isInDocumentationFolder(_ relativePath: String) -> Bool {
        let folders = relativePath.lowercased().split(separator: "/").dropLast()
        return folders.contains(where: { ["doc", "docs", "documentation", "manual", "man"].contains($0) }) && FileKind(path: relativePath) != .code
    }

    /// Prose files: Markdown, reStructuredText, plain text, org.
    package static func isDocumentation(_ relativePath: String) -> Bool {
        let name = relativePath.lowercased().split(separator: "/").last.map(String.init) ?? relativePath
        return [".md", ".markdown", ".rst", ".txt", ".org", ".adoc"].contains { name.hasSuffix($0) } || !name.contains(".")
            && ["readme", "changelog", "changes", "news", "license", "authors", "history"].contains(name)
    }
}
