import Foundation
import Search

/// Formats search results for the terminal, for JSON Lines, and with score explanations.
struct ResultPrinter {
    let query: String
    let colour: Bool

    var terms: [String] {
        query.split(whereSeparator: \.isWhitespace).map { $0.lowercased() }.filter { $0.count >= 2 }
    }

    /// The most relevant line or two of a chunk, white space collapsed, at most 160 characters.
    func snippet(_ result: SearchResult) -> String {
        let lines = result.text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let best = lines.first { line in terms.contains { line.lowercased().contains($0) } }
            ?? lines.first { !$0.hasPrefix("#") } ?? lines.first ?? ""
        let collapsed = best.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return collapsed.count > 160 ? String(collapsed.prefix(159)) + "…" : collapsed
    }

    func text(_ result: SearchResult, rank: Int, explain: Bool) -> String {
        let location = "\(result.path):\(result.startLine)-\(result.endLine)"
        var scores = String(format: "fused %.4f", result.fusedScore)
        if let rerank = result.rerankScore { scores = String(format: "rerank %.3f  ", rerank) + scores }
        var lines = [(colour ? "\u{1B}[1;36m\(location)\u{1B}[0m" : location) + "  " + scores + movement(result, rank: rank)]
        lines.append("    " + highlighted(snippet(result)))
        if explain { lines.append(explanation(result)) }
        return lines.joined(separator: "\n")
    }

    func movement(_ result: SearchResult, rank: Int) -> String {
        guard result.rerankScore != nil else { return "" }
        let moved = result.fusedRank - rank
        return moved > 0 ? "  ▲\(moved)" : moved < 0 ? "  ▼\(-moved)" : "  ="
    }

    func explanation(_ result: SearchResult) -> String {
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

    func json(_ result: SearchResult, rank: Int) -> String {
        func number(_ value: Double?) -> String { value.map { String(format: "%.6g", $0) } ?? "null" }
        return "{\"rank\": \(rank), \"path\": \(JSONText.quote(result.path)), \"start_line\": \(result.startLine), "
            + "\"end_line\": \(result.endLine), \"context\": \(JSONText.quote(result.context)), "
            + "\"snippet\": \(JSONText.quote(snippet(result))), \"scores\": {\"vector\": \(number(result.vectorScore.map(Double.init))), "
            + "\"lexical\": \(number(result.lexicalScore)), \"fused\": \(number(result.fusedScore)), "
            + "\"rerank\": \(number(result.rerankScore.map(Double.init)))}, \"vector_rank\": \(result.vectorRank.map(String.init) ?? "null"), "
            + "\"lexical_rank\": \(result.lexicalRank.map(String.init) ?? "null"), \"rank_before_rerank\": \(result.fusedRank)}"
    }
}
