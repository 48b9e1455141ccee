import Corpus
import Foundation

extension SearchResult {
    /// The query's terms as the result views match them: lowercased words of two characters or more.
    public static func highlightTerms(_ query: String) -> [String] {
        query.split(whereSeparator: \.isWhitespace).map { $0.lowercased() }.filter { $0.count >= 2 }
    }

    /// The chunk's most relevant line: the first with one of `terms`, else the first that is not a heading.
    /// `offset` counts from the chunk's first line; `column` (1-based, in characters) is the first term's.
    public func bestLine(terms: [String]) -> (offset: Int, text: String, column: Int) {
        let lines = text.splitLines()
        for (offset, line) in lines.enumerated() {
            let lower = line.lowercased()
            if let range = terms.compactMap({ lower.range(of: $0) }).min(by: { $0.lowerBound < $1.lowerBound }) {
                return (offset, line, lower.distance(from: lower.startIndex, to: range.lowerBound) + 1)
            }
        }
        let trimmed = lines.map { $0.trimmingCharacters(in: .whitespaces) }
        let offset = trimmed.firstIndex { !$0.isEmpty && !$0.hasPrefix("#") } ?? trimmed.firstIndex { !$0.isEmpty } ?? 0
        return (offset, lines.indices.contains(offset) ? lines[offset] : "", 1)
    }

    /// The best line, white space collapsed, at most 160 characters: what lists and JSON show of a chunk.
    public func snippet(terms: [String]) -> String {
        let collapsed = bestLine(terms: terms).text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return collapsed.count > 160 ? String(collapsed.prefix(159)) + "…" : collapsed
    }
}
