import Foundation
import Store

/// Full-text search over chunk text, identifier parts and stems, file names, folders and symbols with
/// FTS5's BM25, re-ranked for code by `LexicalRanking`.
///
/// Any user input is valid: words are quoted as FTS5 strings (so quotes, `AND`, `NEAR`, `*`, `-` and
/// parentheses are just text). A query's words are OR'd — BM25 over any of them, all together a boost
/// through coverage — and only while the user types (`typing`) does the last word also match as a prefix.
/// Text with Chinese, Japanese or Korean (no spaces between words) goes to the trigram index, and
/// terms shorter than three characters there fall back to substring matching. Every read runs under a
/// `QueryBudget`: the next keystroke cancels it, the deadline bounds it.
package struct LexicalSearch: Sendable {
    package let database: AppDatabase

    package init(database: AppDatabase) {
        self.database = database
    }

    /// A lexical hit: chunk id and score (higher is better).
    package struct Hit: Sendable, Equatable {
        package let chunkId: Int64
        package let score: Double
    }

    /// What a filter lets through: chunks, or (for filters on files) files.
    package enum Restriction: Sendable {
        case chunks(Set<Int64>)
        case files(Set<Int64>)

        /// A filter on files keeping a small share of them (`path:notes/file1*`) restricts by its chunks: their ids are
        /// listed once per filter set (the candidate set is cached while the files stay as they are) and each ranked
        /// row is then a set lookup, where by file every page of rows needs a query for its files (1.45× the
        /// unfiltered query at 100,000 chunks). A large share (`ext:md`: half the index) stays by file: listing its
        /// chunks would cost more than the query.
        init(_ candidates: CandidateSet) {
            self = candidates.isByFile && candidates.fileShare > Self.chunkListShare ? .files(candidates.fileIds) : .chunks(candidates.chunkIds)
        }

        /// Up to this share of the files, a file filter restricts by chunk ids.
        static let chunkListShare = 0.25

        var isEmpty: Bool {
            switch self {
            case .chunks(let ids), .files(let ids): return ids.isEmpty
            }
        }
    }

    /// BM25 candidates read for re-ranking, at least.
    static let minimumCandidates = 200

    /// The best `limit` hits; with `within`, only among those chunks (filters apply before the top `limit`).
    package func search(_ query: String, limit: Int, within: Restriction? = nil, typing: Bool = false,
                       ranking: LexicalRanking = LexicalRanking(), budget: QueryBudget = .unlimited) throws -> [Hit] {
        try search(LexicalQuery(query, typing: typing, expands: ranking.expandsWords, phrases: ranking.searchesPhrases), limit: limit, within: within, ranking: ranking, budget: budget)
    }

    package func search(_ query: LexicalQuery, limit: Int, within restriction: Restriction? = nil, ranking: LexicalRanking = LexicalRanking(),
                       budget: QueryBudget = .unlimited) throws -> [Hit] {
        guard !query.isEmpty, restriction?.isEmpty != true else { return [] }
        var within: Set<Int64>?
        var withinFiles: Set<Int64>?
        switch restriction {
        case .chunks(let ids): within = ids
        case .files(let ids): withinFiles = ids
        case nil: break
        }
        if LexicalQuery.hasUnsegmentedWords(query), let files = withinFiles {
            // The trigram reads keep chunks only: expand the files once (rare: CJK with a file filter).
            within = try database.chunkIds(fileIds: Array(files))
            withinFiles = nil
        }
        let words = query.words
        let hits: [(chunkId: Int64, score: Double)]
        if words.contains(where: Self.hasUnsegmentedScript) {
            let long = words.filter { $0.count >= 3 }
            let short = words.filter { $0.count < 3 }
            hits = try database.substringMatches(expression: long.isEmpty ? nil : long.map(LexicalQuery.quoted).joined(separator: " "),
                                                 likePatterns: short.map { "%" + Self.escapeLike($0) + "%" }, limit: limit, within: within, budget: budget)
            return hits.map { Hit(chunkId: $0.chunkId, score: $0.score) }
        }
        let depth = max(limit, Self.minimumCandidates)
        var found = try database.fullTextMatches(.words, expression: query.matchExpression, weights: ranking.columnWeights,
                                                 limit: depth, within: within, withinFiles: withinFiles, budget: budget)
        if found.isEmpty, words.allSatisfy({ $0.count >= 3 }) {
            // A piece of a word (`ntext` of `context`): the trigram index finds substrings.
            found = try database.fullTextMatches(.trigram, expression: words.map(LexicalQuery.quoted).joined(separator: " "),
                                                 weights: [1.0, 0.1], limit: limit, within: within, withinFiles: withinFiles, budget: budget)
            return found.map { Hit(chunkId: $0.chunkId, score: $0.score) }
        }
        let candidates = found.map { Hit(chunkId: $0.chunkId, score: $0.score) }
        guard !ranking.isPlain else { return Array(candidates.prefix(limit)) }
        let facts = try database.rankingFacts(ids: candidates.map(\.chunkId))
        return Array(ranking.rank(candidates, query: query, facts: facts).prefix(limit))
    }

    // MARK: - Query text

    static func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }

    /// Han, Hiragana, Katakana, Hangul, Thai and similar scripts written without spaces between words.
    static func hasUnsegmentedScript(_ text: String) -> Bool {
        text.unicodeScalars.contains { scalar in
            switch scalar.value {
            case 0x2E80...0x9FFF, 0xAC00...0xD7AF, 0xF900...0xFAFF, 0xFF66...0xFF9F, 0x20000...0x3134F, 0x0E00...0x0EFF, 0x1100...0x11FF:
                return true
            default:
                return false
            }
        }
    }
}

extension Error {
    /// Whether this is a search stopped because a newer query replaced it (not a failure to show).
    package var isSearchCancellation: Bool {
        if let error = self as? StoreError, case .stopped(_, .cancelled) = error { return true }
        return false
    }
}
