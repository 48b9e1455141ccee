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

    /// BM25 candidates read for re-ranking, at least.
    static let minimumCandidates = 200

    /// The best `limit` hits; with `within`, only among those chunks (filters apply before the top `limit`).
    package func search(_ query: String, limit: Int, within: Set<Int64>? = nil, typing: Bool = false,
                       ranking: LexicalRanking = LexicalRanking(), budget: QueryBudget = .unlimited) throws -> [Hit] {
        try search(LexicalQuery(query, typing: typing, expands: ranking.expandsWords, phrases: ranking.searchesPhrases), limit: limit, within: within, ranking: ranking, budget: budget)
    }

    package func search(_ query: LexicalQuery, limit: Int, within: Set<Int64>? = nil, ranking: LexicalRanking = LexicalRanking(),
                       budget: QueryBudget = .unlimited) throws -> [Hit] {
        guard !query.isEmpty, within?.isEmpty != true else { return [] }
        let words = query.words
        let hits: [(chunkId: Int64, score: Double)]
        if words.contains(where: Self.hasUnsegmentedScript) {
            let long = words.filter { $0.count >= 3 }
            let short = words.filter { $0.count < 3 }
            hits = try database.substringMatches(expression: long.isEmpty ? nil : long.map(LexicalQuery.quoted).joined(separator: " "),
                                                 substrings: short, limit: limit, within: within, budget: budget)
            return hits.map { Hit(chunkId: $0.chunkId, score: $0.score) }
        }
        let depth = max(limit, Self.minimumCandidates)
        var found = try database.fullTextMatches(.words, expression: query.matchExpression, weights: ranking.columnWeights,
                                                 limit: depth, within: within, budget: budget)
        if found.isEmpty, words.allSatisfy({ $0.count >= 3 }) {
            // A piece of a word (`ntext` of `context`): the trigram index finds substrings.
            found = try database.fullTextMatches(.trigram, expression: words.map(LexicalQuery.quoted).joined(separator: " "),
                                                 weights: [1.0, 0.1], limit: limit, within: within, budget: budget)
            return found.map { Hit(chunkId: $0.chunkId, score: $0.score) }
        }
        let candidates = found.map { Hit(chunkId: $0.chunkId, score: $0.score) }
        guard !ranking.isPlain else { return Array(candidates.prefix(limit)) }
        let facts = try database.rankingFacts(ids: candidates.map(\.chunkId))
        return Array(ranking.rank(candidates, query: query, facts: facts).prefix(limit))
    }

    // MARK: - Query text

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
