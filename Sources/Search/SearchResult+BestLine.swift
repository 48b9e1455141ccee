import Corpus
import Foundation

extension SearchResult {
    /// The chunk's most relevant line for `query` (see the other `bestLine`).
    package func bestLine(for query: QueryAnalysis) -> (offset: Int, text: String, column: Int) {
        bestLine(terms: query.highlightTerms, symbols: query.symbolTerms)
    }

    /// The chunk's most relevant line: with `symbols` (a `sym:` query), the first line naming one that is not a
    /// comment — the definition, not its doc comment; else the first with one of `terms`, else the first that is
    /// not a heading. `offset` counts from the chunk's first line; `column` (1-based, in characters) is the match's.
    package func bestLine(terms: [String], symbols: [String] = []) -> (offset: Int, text: String, column: Int) {
        let lines = text.splitLines()
        if !symbols.isEmpty {
            // Decorators and attributes (`@audited("reconcile")`, `#[test]`) name it too, a line early.
            for (offset, line) in lines.enumerated() where !Self.isComment(line) && !line.trimmingCharacters(in: .whitespaces).hasPrefix("@") {
                let lower = line.lowercased()
                if let range = symbols.compactMap({ lower.range(of: $0) }).min(by: { $0.lowerBound < $1.lowerBound }) {
                    return (offset, line, lower.distance(from: lower.startIndex, to: range.lowerBound) + 1)
                }
            }
        }
        for (offset, line) in lines.enumerated() {
            let lower = line.lowercased()
            if let range = terms.compactMap({ lower.range(of: $0) }).min(by: { $0.lowerBound < $1.lowerBound }) {
                return (offset, line, lower.distance(from: lower.startIndex, to: range.lowerBound) + 1)
            }
        }
        // No query word in it (a semantic hit): the chunk's own definition line, else its first line that says
        // something — not a separator (`//===----`), a lone attribute (`@Test`), a heading or a comment.
        let names = (symbol ?? "").split(separator: ",").compactMap { entry -> String? in
            let own = entry.split(whereSeparator: { ".:>".contains($0) }).last.map { String($0).trimmingCharacters(in: .whitespaces).lowercased() }
            return (own?.count ?? 0) >= 2 ? own : nil
        }
        if !names.isEmpty {
            for (offset, line) in lines.enumerated() where !Self.isComment(line) && !line.trimmingCharacters(in: .whitespaces).hasPrefix("@") {
                let lower = line.lowercased()
                if let range = names.compactMap({ lower.range(of: $0) }).min(by: { $0.lowerBound < $1.lowerBound }) {
                    return (offset, line, lower.distance(from: lower.startIndex, to: range.lowerBound) + 1)
                }
            }
        }
        let trimmed = lines.map { $0.trimmingCharacters(in: .whitespaces) }
        let offset = trimmed.firstIndex(where: Self.saysSomething)
            ?? trimmed.firstIndex { !$0.isEmpty && !$0.hasPrefix("#") } ?? trimmed.firstIndex { !$0.isEmpty } ?? 0
        return (offset, lines.indices.contains(offset) ? lines[offset] : "", 1)
    }

    /// A trimmed line worth showing for a chunk: three letters at least, and not a heading, a comment, a lone
    /// attribute or decorator (`@Test`, `#[test]`), or a rule of punctuation.
    static func saysSomething(_ trimmed: String) -> Bool {
        guard !trimmed.hasPrefix("#"), !isComment(trimmed) else { return false }
        if trimmed.hasPrefix("@"), !trimmed.contains(" ") { return false }
        return trimmed.unicodeScalars.filter { CharacterSet.letters.contains($0) }.count >= 3
    }

    /// Whether a line of code is a comment line (`//`, `/*`, `*`, `#`, `--`, `;`, a docstring's quotes).
    static func isComment(_ line: String) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return ["//", "/*", "*", "#", "--", ";", "\"\"\"", "'''"].contains { trimmed.hasPrefix($0) }
    }

    /// The best line, white space collapsed, at most 160 characters: what lists and JSON show of a chunk.
    package func snippet(terms: [String], symbols: [String] = []) -> String {
        let collapsed = bestLine(terms: terms, symbols: symbols).text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return collapsed.count > 160 ? String(collapsed.prefix(159)) + "…" : collapsed
    }
}
