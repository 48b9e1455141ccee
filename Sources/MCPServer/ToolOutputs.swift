import Foundation
import QweryCore

/// The structured results of the tools (`structuredContent`, and the same JSON as text for clients that read
/// only text): QweryCore's records, as the CLI prints them, with absent values left out.
struct SearchOutput: Codable, Sendable {
    let results: [ResultRecord]
    let coverage: CoverageRecord

    init(_ results: [SearchResult], query: String, coverage: CoverageRecord) {
        let analysis = QueryAnalysis(query)
        let terms = analysis.highlightTerms
        let symbols = analysis.symbolTerms
        self.results = results.enumerated().map { index, result in
            ResultRecord(result, rank: index + 1, snippet: result.snippet(terms: terms, symbols: symbols), coverage: nil)
        }
        self.coverage = coverage
    }
}

struct GetOutput: Codable, Sendable {
    let path: String
    let startLine: Int
    let endLine: Int
    let text: String
    /// Set when the text stops before the range asked for (256 KiB at most per call): ask again from here.
    let nextLine: Int?
    let note: String?

    enum CodingKeys: String, CodingKey {
        case path, text, note
        case startLine = "start_line"
        case endLine = "end_line"
        case nextLine = "next_line"
    }
}
