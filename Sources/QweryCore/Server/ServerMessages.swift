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

    /// The job: candidates enough for the rerank depth, the results cut to `limit` by the caller.
    public func job() -> SearchJob {
        var options = SearchService.Options()
        options.limit = max(limit, rerankDepth)
        options.dimensions = dimensions
        if let perFile { options.fusion.perFile = perFile }
        if let instruction { options.instruction = instruction }
        return SearchJob(QueryAnalysis(query), options: options, rerank: rerank, rerankDepth: rerankDepth)
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

    enum CodingKeys: String, CodingKey {
        case pid, clients, searches, index, reranker, socket
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

    public init(id: Int) {
        self.id = id
    }
}
