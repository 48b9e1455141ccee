import Corpus
import Foundation

/// A query as typed, parsed once: its words, filters and `similar:` source, and every rule decided from them —
/// the words a result's best line looks for, the names a `sym:` filter looks for, whether it is filters alone
/// (listed, not ranked), whether the reranker may judge it. The screen keeps one per query line (parsed when the
/// line changes, not per frame), a job carries one through its stages, and `QuerySyntax.parse` is called here
/// only.
package struct QueryAnalysis: Sendable, Equatable {
    /// The query line as typed.
    package let raw: String
    /// What the parser made of it, or why it could not (a half-typed `sym:`).
    package let parsed: Result<ParsedQuery, QuerySyntaxError>

    package init(_ raw: String, now: Date = Date()) {
        self.raw = raw
        parsed = Result { () throws(QuerySyntaxError) -> ParsedQuery in try QuerySyntax.parse(raw, now: now) }
    }

    /// The parsed query; throws the syntax error for a query that does not parse.
    package func parsedQuery() throws(QuerySyntaxError) -> ParsedQuery {
        try parsed.get()
    }

    /// Filters and no words (`sym:reconcile`, `lang:swift path:src/**`): listed, never embedded or reranked.
    package var isFilterOnly: Bool {
        (try? parsed.get())?.isFilterOnly ?? false
    }

    /// `similar:PATH[:LINE]`: ranked by stored vectors, nothing embedded, nothing to rerank against.
    package var isSimilar: Bool {
        (try? parsed.get())?.similarTo != nil
    }

    /// Whether a reranker may judge results against this query: it has words.
    package var isRerankable: Bool {
        !isFilterOnly && !isSimilar
    }

    /// The words the reranker judges (no filters: `ext:md budget` → `budget`); the raw line when it does not parse.
    package var rerankText: String {
        (try? parsed.get().text) ?? raw
    }

    /// The query's terms as the result views match them: lowercased words of two characters or more.
    package var highlightTerms: [String] {
        raw.split(whereSeparator: \.isWhitespace).map { $0.lowercased() }.filter { $0.count >= 2 }
    }

    /// The own names its `sym:` filters look for, lowercased: `reconcile` of `sym:Ledger.reconcile` and of
    /// `sym:*reconcile`; none of `sym:Ledger.*`.
    package var symbolTerms: [String] {
        guard let parsed = try? parsed.get() else { return [] }
        return parsed.filters.symbols.compactMap { pattern in
            let name = SymbolPattern.ownName(pattern).filter { !"*?[]".contains($0) }
            return name.count >= 2 ? name : nil
        }
    }
}
