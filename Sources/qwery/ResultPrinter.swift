import Foundation
import QweryCore

/// Formats search results for the terminal, for JSON Lines, and with score explanations.
struct ResultPrinter {
    let query: String
    let colour: Bool
    /// The words a result's best line looks for, and the names `sym:` looks for (a symbol's best line is its
    /// definition): from the query parsed once.
    let terms: [String]
    let symbols: [String]

    /// How plain-text paths are shown: relative to this folder when under it.
    let currentFolder: String
    /// Lines of context around the best line in plain output (`-C N`).
    var contextLines = 0
    /// Whether paths are OSC 8 hyperlinks (a terminal, with colour on).
    var hyperlinks = false

    init(query: String, colour: Bool, currentFolder: String = FileManager.default.currentDirectoryPath) {
        self.query = query
        self.colour = colour
        let analysis = QueryAnalysis(query)
        terms = analysis.highlightTerms
        symbols = analysis.symbolTerms
        self.currentFolder = currentFolder
    }

    func bestLine(_ result: SearchResult) -> (offset: Int, text: String, column: Int) {
        result.bestLine(terms: terms, symbols: symbols)
    }

    func snippet(_ result: SearchResult) -> String {
        result.snippet(terms: terms, symbols: symbols)
    }

    /// The path as shown on a terminal: relative to the current folder when under it, controls made visible.
    func displayPath(_ path: String) -> String {
        let prefix = currentFolder.hasSuffix("/") ? currentFolder : currentFolder + "/"
        let shown = path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
        return TerminalText.visible(shown)
    }

    /// `path:line:column:text`, the format of `rg --vimgrep` that vim's `grepformat` reads. The column counts
    /// bytes, as ripgrep and Vim do (`Crème brûlée … columnword` is column 27, not 22 characters).
    func vimgrep(_ result: SearchResult, path: String? = nil) -> String {
        let best = bestLine(result)
        let locator = result.locator.map { "[\($0.label)] " } ?? ""
        // A piece of a long line (minified code) starts inside the line: its column counts from the line's start.
        let pieceOffset = best.offset == 0 && result.locator == nil ? LineStart.offset(ofByte: result.startByte, in: result.path) : 0
        let column = pieceOffset + Self.byteColumn(best.text, character: best.column)
        return "\(displayPath(path ?? result.path)):\(result.startLine + best.offset):\(column):\(locator)\(TerminalText.visible(best.text))"
    }

    /// The 1-based byte column of the 1-based character column `character` of `line`.
    static func byteColumn(_ line: String, character: Int) -> Int {
        line.prefix(max(0, character - 1)).utf8.count + 1
    }

    /// A result of a query of filters alone: in neither list, so listed rather than ranked.
    static func isListed(_ result: SearchResult) -> Bool {
        result.lexicalRank == nil && result.vectorRank == nil && result.rerankScore == nil
    }

    func text(_ result: SearchResult, rank: Int, explain: Bool) -> String {
        // A document's lines count in its extracted text; its page (or cell) is what a reader looks for.
        let location = "\(displayPath(result.path)):\(result.startLine)-\(result.endLine)" + (result.locator.map { " (\($0.label))" } ?? "")
            + (result.symbol.map { "  " + TerminalText.visible($0) } ?? "")
        var scores = Self.isListed(result) ? "listed" : String(format: "fused %.4f", result.fusedScore)
        if let rerank = result.rerankScore { scores = String(format: "rerank %.3f  ", rerank) + scores }
        var shown = colour ? "\u{1B}[1;36m\(location)\u{1B}[0m" : location
        if hyperlinks { shown = Self.hyperlink(shown, path: result.path) }
        let identical = result.identicalPaths.isEmpty ? "" : "  +\(result.identicalPaths.count) identical"
        var lines = [shown + "  " + scores + movement(result, rank: rank) + identical]
        if contextLines > 0 {
            lines += context(result)
        } else {
            lines.append("    " + highlighted(TerminalText.visible(snippet(result))))
        }
        if explain { lines.append(explanation(result)) }
        return lines.joined(separator: "\n")
    }

    /// The best line with `contextLines` lines around it, numbered, controls made visible.
    func context(_ result: SearchResult) -> [String] {
        var lines = result.text.splitLines()
        if lines.count > 1, lines.last == "" { lines.removeLast() }  // the chunk's final line break
        let best = bestLine(result).offset
        let around = min(contextLines, lines.count)  // bounded by the file, so the sums below cannot overflow
        let range = max(0, best - around)...min(lines.count - 1, best + around)
        let width = String(result.startLine + range.upperBound).count
        return range.map { offset in
            let number = String(result.startLine + offset)
            let padded = String(repeating: " ", count: width - number.count) + number
            return "  " + padded + (offset == best ? ": " : "- ") + highlighted(TerminalText.visible(lines[offset]))
        }
    }

    /// An OSC 8 hyperlink to the file, which terminals open on click.
    static func hyperlink(_ label: String, path: String) -> String {
        let url = URL(fileURLWithPath: path).absoluteString
        return "\u{1B}]8;;\(url)\u{1B}\\\(label)\u{1B}]8;;\u{1B}\\"
    }

    func movement(_ result: SearchResult, rank: Int) -> String {
        guard result.rerankScore != nil else { return "" }
        let moved = result.fusedRank - rank
        return moved > 0 ? "  ▲\(moved)" : moved < 0 ? "  ▼\(-moved)" : "  ="
    }

    func explanation(_ result: SearchResult) -> String {
        if Self.isListed(result) {
            return "      listed: a query of filters alone is a listing — exact sym: names first, then path and line — not ranked"
        }
        var parts: [String] = []
        if let rank = result.vectorRank, let score = result.vectorScore {
            parts.append(String(format: "vector: cosine %.4f, rank %d → 1/(60+%d) = %.4f", score, rank, rank, 1 / (60 + Double(rank))))
        } else {
            parts.append("vector: not among the semantic hits")
        }
        if let rank = result.lexicalRank, let score = result.lexicalScore {
            parts.append(String(format: "lexical: BM25 %.3f, rank %d → 1/(60+%d) = %.4f", score, rank, rank, 1 / (60 + Double(rank))))
        } else {
            parts.append("lexical: no match")
        }
        parts.append(String(format: "fused: %.4f (rank %d before reranking)", result.fusedScore, result.fusedRank))
        if let rerank = result.rerankScore { parts.append(String(format: "rerank: P(yes) = %.4f", rerank)) }
        return parts.map { "      " + $0 }.joined(separator: "\n")
    }

    func highlighted(_ text: String) -> String {
        guard colour, !terms.isEmpty else { return text }
        var output = ""
        var index = text.startIndex
        let lower = text.lowercased()
        guard lower.count == text.count else { return text }
        while index < text.endIndex {
            let offset = text.distance(from: text.startIndex, to: index)
            let lowerIndex = lower.index(lower.startIndex, offsetBy: offset)
            if let term = terms.first(where: { lower[lowerIndex...].hasPrefix($0) }) {
                let end = text.index(index, offsetBy: term.count)
                output += "\u{1B}[1;33m" + text[index..<end] + "\u{1B}[0m"
                index = end
            } else {
                output.append(text[index])
                index = text.index(after: index)
            }
        }
        return output
    }

    /// Searchable vectors and all distinct chunks, carried by every JSON line (semantic search covers
    /// only what is embedded so far while an index is being built).
    var coverage: (vectors: Int, chunks: Int)?

    func json(_ result: SearchResult, rank: Int) -> String {
        Records.encode(ResultRecord(result, rank: rank, snippet: snippet(result),
                                    coverage: coverage.map { CoverageRecord(vectors: $0.vectors, chunks: $0.chunks) }), explicitNulls: true)
    }
}
