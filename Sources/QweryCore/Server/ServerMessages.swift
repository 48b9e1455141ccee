import Foundation
import Search

/// What `qwery search` asks: the query and every option that shapes its results, so the server runs exactly the
/// job the command would run in-process (`job()` is the one place both build it).
public struct SearchParameters: Codable, Sendable, Equatable {
    public var query: String
    public var limit: Int
    public var dimensions: Int?
    public var perFile: Int?
    /// nil: the search's default instruction.
    public var instruction: String?
    public var rerank: Bool
    public var rerankDepth: Int
    /// The screen's keystroke search: the last word also matches as a prefix while it is typed, and the lexical
    /// stage gives up after 2 s (the next keystroke cancels it sooner). Absent: a finished query.
    public var typing: Bool?

    /// How many top results the rerank pass re-orders unless told otherwise.
    public static let defaultRerankDepth = RerankPass.defaultDepth

    public init(query: String, limit: Int, dimensions: Int?, perFile: Int?, instruction: String?, rerank: Bool,
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
    public func job(parsed: QueryAnalysis? = nil) -> SearchJob {
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
public struct SimilarParameters: Codable, Sendable, Equatable {
    public var path: String
    public var line: Int?
    public var limit: Int
    public var dimensions: Int?

    public init(path: String, line: Int?, limit: Int, dimensions: Int?) {
        self.path = path
        self.line = line
        self.limit = limit
        self.dimensions = dimensions
    }

    public func job() -> SearchJob {
        var options = SearchService.Options()
        options.limit = limit
        options.dimensions = dimensions
        return SearchJob(.similar(path: path, line: line), options: options, rerank: false)
    }
}

/// One request, one line of JSON. `index` and the model folders name what the client would load itself: a server
/// of another index or other models answers `mismatch`, and the client searches in-process.
public struct ServerRequest: Codable, Sendable {
    public enum Method: String, Codable, Sendable {
        case search
        case similar
        case status
        /// A search whose stages are answered as they come (`ServerUpdate` lines: lexical, semantic, each rerank
        /// score, done), for the screen; closing the connection cancels it.
        case stream
    }

    public var id: Int
    public var method: Method
    public var index: String
    public var embeddingModel: String?
    public var reranker: String?
    public var search: SearchParameters?
    public var similar: SimilarParameters?

    public init(id: Int, method: Method, index: String, embeddingModel: String?, reranker: String?, search: SearchParameters? = nil,
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
public struct ServerInfo: Codable, Sendable, Equatable {
    public var pid: Int32
    public var uptimeSeconds: Double
    /// Connections open now, this status request's included.
    public var clients: Int
    /// Searches answered since the server started.
    public var searches: Int = 0
    public var index: String
    public var embeddingModel: String?
    public var reranker: String?
    public var socket: String?
    /// Whether its searches have a semantic stage (a model with vectors), and how its rerank pass orders.
    public var semanticSearch: Bool?
    public var rerankPolicy: RerankPolicy?

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
public struct ServerResponse: Codable, Sendable {
    public var id: Int
    public var results: [SearchResult]?
    public var coverage: CoverageRecord?
    /// What the command would have said on stderr (no reranker, no vectors yet).
    public var notes: [String]?
    public var info: ServerInfo?
    /// The server serves another index or other models: search in-process.
    public var mismatch: String?
    /// The request failed there (a syntax error, a bad dimension): the client searches in-process, which says
    /// the same thing the same way.
    public var error: String?
    /// One stage of a streamed search (`stream`).
    public var update: ServerUpdate?

    public init(id: Int) {
        self.id = id
    }
}

/// One stage of a streamed search, as `SearchPipeline` reports it: results after the lexical and the semantic
/// stage, each rerank score as it comes, then done (the final order).
public struct ServerUpdate: Codable, Sendable, Equatable {
    public enum Stage: String, Codable, Sendable {
        case lexical, semantic, score, done
    }

    public var stage: Stage
    public var results: [SearchResult]?
    public var milliseconds: Double?
    public var chunkId: Int64?
    public var score: Float?
    public var done: Int?
    public var total: Int?

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
