import Foundation
import Search
import Store

/// The records of qwery's JSON output (`search`/`similar --json`, `status --json`), encoded by Foundation's
/// JSONEncoder: keys sorted, slashes unescaped, absent values as `null` (every key is always there).
enum JSONOutput {
    static func encode<Value: Encodable>(_ value: Value) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding these records cannot fail (no non-finite floats reach them: scores are finite or nil).
        guard let data = try? encoder.encode(value) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    struct Coverage: Encodable {
        let vectors: Int
        let chunks: Int
    }

    /// One search result: a JSON Lines record.
    struct Hit: Encodable {
        struct Scores: Encodable {
            let vector: Float?
            let lexical: Double?
            let fused: Double
            let rerank: Float?

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(vector, forKey: .vector)
                try container.encode(lexical, forKey: .lexical)
                try container.encode(fused, forKey: .fused)
                try container.encode(rerank, forKey: .rerank)
            }

            enum CodingKeys: String, CodingKey { case vector, lexical, fused, rerank }
        }

        let rank: Int
        let path: String
        let startLine: Int
        let endLine: Int
        let context: String
        let snippet: String
        let scores: Scores
        let vectorRank: Int?
        let lexicalRank: Int?
        let rankBeforeRerank: Int
        let coverage: Coverage?

        init(_ result: SearchResult, rank: Int, snippet: String, coverage: (vectors: Int, chunks: Int)?) {
            self.rank = rank
            path = result.path
            startLine = result.startLine
            endLine = result.endLine
            context = result.context
            self.snippet = snippet
            scores = Scores(vector: result.vectorScore, lexical: result.lexicalScore, fused: result.fusedScore, rerank: result.rerankScore)
            vectorRank = result.vectorRank
            lexicalRank = result.lexicalRank
            rankBeforeRerank = result.fusedRank
            self.coverage = coverage.map { Coverage(vectors: $0.vectors, chunks: $0.chunks) }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(rank, forKey: .rank)
            try container.encode(path, forKey: .path)
            try container.encode(startLine, forKey: .startLine)
            try container.encode(endLine, forKey: .endLine)
            try container.encode(context, forKey: .context)
            try container.encode(snippet, forKey: .snippet)
            try container.encode(scores, forKey: .scores)
            try container.encode(vectorRank, forKey: .vectorRank)
            try container.encode(lexicalRank, forKey: .lexicalRank)
            try container.encode(rankBeforeRerank, forKey: .rankBeforeRerank)
            try container.encodeIfPresent(coverage, forKey: .coverage)
        }

        enum CodingKeys: String, CodingKey {
            case rank, path, context, snippet, scores, coverage
            case startLine = "start_line"
            case endLine = "end_line"
            case vectorRank = "vector_rank"
            case lexicalRank = "lexical_rank"
            case rankBeforeRerank = "rank_before_rerank"
        }
    }

    /// `qwery status --json`.
    struct Status: Encodable {
        struct Model: Encodable {
            let identity: String
            let name: String
            let dimension: Int
            let vectors: Int
            let coverage: Coverage
        }

        struct Skipped: Encodable {
            let path: String
            let reason: String
        }

        let index: String
        let roots: [String]
        let files: Int
        let chunks: Int
        let distinctChunks: Int
        let models: [Model]
        let skipped: [Skipped]
        let writerPid: Int32?

        init(_ status: IndexStatus, path: String, writerPid: Int32?) {
            index = path
            roots = status.roots
            files = status.indexedFiles
            chunks = status.chunks
            distinctChunks = status.distinctChunkContents
            models = status.models.map {
                Model(identity: $0.identity, name: $0.name, dimension: $0.dimension, vectors: $0.vectors,
                      coverage: Coverage(vectors: $0.vectors, chunks: status.distinctChunkContents))
            }
            skipped = status.skippedFiles.map { Skipped(path: $0.path, reason: $0.reason) }
            self.writerPid = writerPid
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(index, forKey: .index)
            try container.encode(roots, forKey: .roots)
            try container.encode(files, forKey: .files)
            try container.encode(chunks, forKey: .chunks)
            try container.encode(distinctChunks, forKey: .distinctChunks)
            try container.encode(models, forKey: .models)
            try container.encode(skipped, forKey: .skipped)
            try container.encode(writerPid, forKey: .writerPid)
        }

        enum CodingKeys: String, CodingKey {
            case index, roots, files, chunks, models, skipped
            case distinctChunks = "distinct_chunks"
            case writerPid = "writer_pid"
        }
    }
}
