import Foundation
import Search

/// What `qwery search` asks: the query and every option that shapes its results, so the server runs exactly the
/// job the command would run in-process (`job()` is the one place both build it).
package struct SearchParameters: Codable, Sendable, Equatable {
    package var query: String
    package var limit: Int
    package var dimensions: Int?
    package var perFile: Int?
    /// nil: the search's default instruction.
    package var instruction: String?
    package var rerank: Bool
    package var rerankDepth: Int
    /// The screen's keystroke search: the last word also matches as a prefix while it is typed, and the lexical
    /// stage gives up after 2 s (the next keystroke cancels it sooner). Absent: a finished query.
    package var typing: Bool?

    /// How many top results the rerank pass re-orders unless told otherwise.
    package static let defaultRerankDepth = RerankPass.defaultDepth

    package init(query: String, limit: Int, dimensions: Int?, perFile: Int?, instruction: String?, rerank: Bool,
                rerankDepth: Int = SearchParameters.defaultRerankDepth) {
        self.query = query
        self.limit = limit
        self.dimensions = dimensions
        self.perFile = perFile
        self.instruction = instruction
        self.rerank = rerank
        self.rerankDepth = rerankDepth
    }

    /// The job: candidates enough for the rerank depth, the results cut to `limit` by the caller. `parsed`: the
    /// query already parsed (the screen parses each keystroke once), else it is parsed here.
    package func job(parsed: QueryAnalysis? = nil) -> SearchJob {
        var options = SearchService.Options()
        options.limit = max(limit, rerankDepth)
        options.dimensions = dimensions
        if let perFile { options.fusion.perFile = perFile }
        if let instruction { options.instruction = instruction }
        if typing == true {
            options.typing = true
            // A keystroke waits for no query: the next one cancels this one's SQL, and none runs past this.
            options.lexicalSeconds = 2
        }
        let analysis = parsed.flatMap { $0.raw == query ? $0 : nil } ?? QueryAnalysis(query)
        return SearchJob(analysis, options: options, rerank: rerank, rerankDepth: rerankDepth)
    }
}

/// What `qwery similar` asks: the chunk (or file) and the options, one job either way (`job()`).
package struct SimilarParameters: Codable, Sendable, Equatable {
    package var path: String
    package var line: Int?
    package var limit: Int
    package var dimensions: Int?

    package init(path: String, line: Int?, limit: Int, dimensions: Int?) {
        self.path = path
        self.line = line
        self.limit = limit
        self.dimensions = dimensions
    }

    package func job() -> SearchJob {
        var options = SearchService.Options()
        options.limit = limit
        options.dimensions = dimensions
        return SearchJob(.similar(path: path, line: line), options: options, rerank: false)
    }
}

/// One request, one line of JSON. `index` and the model folders name what the client would load itself: a server
/// of another index or other models answers `mismatch`, and the client searches in-process.
package struct ServerRequest: Codable, Sendable {
    package enum Method: String, Codable, Sendable {
        case search
        case similar
        case status
        /// A search whose stages are answered as they come (`ServerUpdate` lines: lexical, semantic, each rerank
        /// score, done), for the screen; closing the connection cancels it.
        case stream
    }

    package var id: Int
    package var method: Method
    package var index: String
    package var embeddingModel: String?
    package var reranker: String?
    package var search: SearchParameters?
    package var similar: SimilarParameters?

    package init(id: Int, method: Method, index: String, embeddingModel: String?, reranker: String?, search: SearchParameters? = nil,
                similar: SimilarParameters? = nil) {
        self.id = id
        self.method = method
        self.index = index
        self.embeddingModel = embeddingModel
        self.reranker = reranker
        self.search = search
        self.similar = similar
    }
}

/// The server's side of the conversation, for `qwery status`.
package struct ServerInfo: Codable, Sendable, Equatable {
    package var pid: Int32
    package var uptimeSeconds: Double
    /// Connections open now, this status request's included.
    package var clients: Int
    /// Searches answered since the server started.
    package var searches: Int = 0
    package var index: String
    package var embeddingModel: String?
    package var reranker: String?
    package var socket: String?
    /// Whether its searches have a semantic stage (a model with vectors), and how its rerank pass orders.
    package var semanticSearch: Bool?
    package var rerankPolicy: RerankPolicy?

    enum CodingKeys: String, CodingKey {
        case pid, clients, searches, index, reranker, socket
        case semanticSearch = "semantic_search"
        case rerankPolicy = "rerank_policy"
        case uptimeSeconds = "uptime_seconds"
        case embeddingModel = "embedding_model"
    }
}

/// One answer line: results (the same records `--json` prints, whole, so the client prints them exactly as an
/// in-process search would), the server's info, or why not.
package struct ServerResponse: Codable, Sendable {
    package var id: Int
    package var results: [SearchResult]?
    package var coverage: CoverageRecord?
    /// What the command would have said on stderr (no reranker, no vectors yet).
    package var notes: [String]?
    package var info: ServerInfo?
    /// The server serves another index or other models: search in-process.
    package var mismatch: String?
    /// The request failed there (a syntax error, a bad dimension): the client searches in-process, which says
    /// the same thing the same way.
    package var error: String?
    /// One stage of a streamed search (`stream`).
    package var update: ServerUpdate?

    package init(id: Int) {
        self.id = id
    }
}

/// One stage of a streamed search, as `SearchPipeline` reports it: results after the lexical and the semantic
/// stage, each rerank score as it comes, then done (the final order).
package struct ServerUpdate: Codable, Sendable, Equatable {
    package enum Stage: String, Codable, Sendable {
        case lexical, semantic, score, done
    }

    package var stage: Stage
    package var results: [SearchResult]?
    package var milliseconds: Double?
    package var chunkId: Int64?
    package var score: Float?
    package var done: Int?
    package var total: Int?

    init(_ update: SearchUpdate) {
        switch update {
        case .lexical(let results, let milliseconds):
            stage = .lexical
            self.results = results
            self.milliseconds = milliseconds
        case .semantic(let results, let milliseconds):
            stage = .semantic
            self.results = results
            self.milliseconds = milliseconds
        case .score(let chunkId, let score, let done, let total):
            stage = .score
            self.chunkId = chunkId
            self.score = score
            self.done = done
            self.total = total
        case .done(let results, let rerankMilliseconds):
            stage = .done
            self.results = results
            milliseconds = rerankMilliseconds
        }
    }

    /// The pipeline's update again, on the client's side; nil for a line missing what its stage needs.
    var searchUpdate: SearchUpdate? {
        switch stage {
        case .lexical: return results.map { .lexical($0, milliseconds: milliseconds ?? 0) }
        case .semantic: return results.map { .semantic($0, milliseconds: milliseconds ?? 0) }
        case .score:
            guard let chunkId, let score, let done, let total else { return nil }
            return .score(chunkId: chunkId, score: score, done: done, total: total)
        case .done: return .done(results ?? [], rerankMilliseconds: milliseconds)
        }
    }
}
