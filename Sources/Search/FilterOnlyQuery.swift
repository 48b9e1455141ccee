import Corpus

/// A query of filters alone (`sym:reconcile`, `lang:swift path:src/**`, `-draft`) lists what they keep,
/// with no words to rank by: chunks holding a symbol named exactly the `sym:` pattern first, then the other
/// matches; otherwise, and within those, in path and line order (so `path:src/ledger.rs sym:*` is the file's
/// outline). Nothing is embedded or reranked.
extension SearchService {
    func filterOnlyHits(_ candidates: CandidateSet, filters: SearchFilters, limit: Int) throws -> [LexicalSearch.Hit] {
        let positions = try database.chunkPositions(ids: candidates.chunkIds())
        let patterns = filters.symbols.map(SymbolPattern.init)
        let ordered: [(id: Int64, path: String, startLine: Int, symbol: String?)]
        if patterns.isEmpty {
            ordered = positions
        } else {
            let keyed = positions.enumerated().map { index, position in
                (closeness: patterns.map { $0.closeness(anyOf: position.symbol ?? "") ?? 2 }.max() ?? 2, index: index, position: position)
            }
            ordered = keyed.sorted { ($0.closeness, $0.index) < ($1.closeness, $1.index) }.map(\.position)
        }
        return ordered.prefix(limit).enumerated().map { rank, position in
            LexicalSearch.Hit(chunkId: position.id, score: Double(limit - rank))
        }
    }
}

extension SearchService {
    /// A listing's order is not a lexical match: its results carry no lexical rank or score (JSON `null`).
    static func unscoredIfListed(_ results: [SearchResult], _ prepared: PreparedQuery) -> [SearchResult] {
        guard prepared.isFilterOnly else { return results }
        return results.map { result in
            var listed = result
            listed.lexicalRank = nil
            listed.lexicalScore = nil
            return listed
        }
    }
}

extension SearchService.PreparedQuery {
    /// Filters and no words: listed, not ranked (see `filterOnlyHits`).
    package var isFilterOnly: Bool {
        similarResults == nil && candidates != nil && parsed.text.trimmingCharacters(in: .whitespaces).isEmpty
    }
}

extension ParsedQuery {
    /// Filters and no words: a listing, which needs no model (nothing embedded or reranked).
    package var isFilterOnly: Bool {
        similarTo == nil && !filters.isEmpty && text.trimmingCharacters(in: .whitespaces).isEmpty
    }
}
