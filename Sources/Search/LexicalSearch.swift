import Foundation
import Store

/// Full-text search over chunk text and file path with FTS5's BM25.
///
/// Any user input is valid: terms are quoted as FTS5 strings (so quotes, `AND`, `NEAR`, `*`, `-` and
/// parentheses are just text) and the last term matches as a prefix while the user types it.
/// Text with Chinese, Japanese or Korean (no spaces between words) goes to the trigram index, and
/// terms shorter than three characters there fall back to substring matching.
public struct LexicalSearch: Sendable {
    public let database: AppDatabase

    public init(database: AppDatabase) {
        self.database = database
    }

    /// A lexical hit: chunk id and BM25 score (higher is better).
    public struct Hit: Sendable, Equatable {
        public let chunkId: Int64
        public let score: Double
    }

    /// The best `limit` hits; with `within`, only among those chunks (filters apply before the top `limit`).
    public func search(_ query: String, limit: Int, within: Set<Int64>? = nil) throws -> [Hit] {
        let terms = Self.terms(query)
        guard !terms.isEmpty, within?.isEmpty != true else { return [] }
        // The candidate set travels as one JSON array parameter (json_each), whatever its size.
        let within = within.map { "[" + $0.map(String.init).joined(separator: ",") + "]" }
        let hits: [(chunkId: Int64, score: Double)]
        if terms.contains(where: Self.hasUnsegmentedScript) {
            let long = terms.filter { $0.count >= 3 }
            let short = terms.filter { $0.count < 3 }
            hits = try database.substringMatches(expression: long.isEmpty ? nil : Self.matchExpression(long, joiner: " ", prefixLast: false),
                                                 likePatterns: short.map { "%" + Self.escapeLike($0) + "%" }, limit: limit, within: within)
        } else {
            var found = try database.fullTextMatches(.words, expression: Self.matchExpression(terms, joiner: " ", prefixLast: true), limit: limit, within: within)
            if found.isEmpty && terms.count > 1 {
                found = try database.fullTextMatches(.words, expression: Self.matchExpression(terms, joiner: " OR ", prefixLast: true), limit: limit, within: within)
            }
            if found.isEmpty, terms.allSatisfy({ $0.count >= 3 }) {
                found = try database.fullTextMatches(.trigram, expression: Self.matchExpression(terms, joiner: " ", prefixLast: false), limit: limit, within: within)
            }
            hits = found
        }
        return hits.map { Hit(chunkId: $0.chunkId, score: $0.score) }
    }

    // MARK: - Query text

    /// At most this many terms go to FTS5: BM25 over a pasted page of repeated words was quadratic (a
    /// 1,000-word query took 70 s on 20,000 chunks). The longest terms are kept, as the likely rarest.
    static let maximumTerms = 32

    /// Whitespace-separated terms with letters or digits, each once (case-insensitively), at most
    /// `maximumTerms` of them, in query order.
    static func terms(_ query: String) -> [String] {
        var seen = Set<String>()
        let unique = query.split(whereSeparator: { $0.isWhitespace }).map(String.init).filter { term in
            term.unicodeScalars.contains { $0.properties.isAlphabetic || $0.properties.numericType != nil }
                && seen.insert(term.lowercased()).inserted
        }
        guard unique.count > maximumTerms else { return unique }
        let kept = Set(unique.indices.sorted { unique[$0].count > unique[$1].count || (unique[$0].count == unique[$1].count && $0 < $1) }
            .prefix(maximumTerms))
        return unique.indices.filter(kept.contains).map { unique[$0] }
    }

    /// Terms as FTS5 strings (`"` doubled inside), joined; the last one as a prefix query.
    static func matchExpression(_ terms: [String], joiner: String, prefixLast: Bool) -> String {
        terms.enumerated().map { index, term in
            let quoted = "\"" + term.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            return prefixLast && index == terms.count - 1 ? quoted + " *" : quoted
        }.joined(separator: joiner)
    }

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
