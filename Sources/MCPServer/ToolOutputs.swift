import Foundation
import Search

/// The structured results of the tools (`structuredContent`, and the same JSON as text for clients that
/// read only text), with the snake_case names of qwery's JSON output.
struct SearchOutput: Codable, Sendable {
    struct Scores: Codable, Sendable {
        let vector: Float?
        let lexical: Double?
        let fused: Double
        let rerank: Float?
    }

    struct Hit: Codable, Sendable {
        let rank: Int
        let path: String
        let startLine: Int
        let endLine: Int
        let context: String
        let snippet: String
        let scores: Scores

        enum CodingKeys: String, CodingKey {
            case rank, path, context, snippet, scores
            case startLine = "start_line"
            case endLine = "end_line"
        }
    }

    struct Coverage: Codable, Sendable {
        /// Chunk contents with a vector (searchable by meaning) and all distinct chunk contents.
        let vectors: Int
        let chunks: Int
    }

    let results: [Hit]
    let coverage: Coverage

    init(_ results: [SearchResult], query: String, coverage: Coverage) {
        let terms = SearchResult.highlightTerms(query)
        self.results = results.enumerated().map { index, result in
            Hit(rank: index + 1, path: result.path, startLine: result.startLine, endLine: result.endLine, context: result.context,
                snippet: result.snippet(terms: terms),
                scores: Scores(vector: result.vectorScore, lexical: result.lexicalScore, fused: result.fusedScore, rerank: result.rerankScore))
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

struct StatusOutput: Codable, Sendable {
    struct Skipped: Codable, Sendable {
        let path: String
        let reason: String
    }

    let index: String
    let roots: [String]
    let files: Int
    let chunks: Int
    let vectors: Int
    let skipped: [Skipped]
    let embeddingModel: String?
    let rerankerModel: String?
    let updating: Bool

    enum CodingKeys: String, CodingKey {
        case index, roots, files, chunks, vectors, skipped, updating
        case embeddingModel = "embedding_model"
        case rerankerModel = "reranker_model"
    }
}
