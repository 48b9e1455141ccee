import Foundation
import Search
import Store
import Corpus
import Syntax

/// The JSON records every face prints: `qwery search/similar --json` (one `ResultRecord` a line),
/// `qwery status --json` and the MCP tools (`structuredContent` and its text). One type each, so a new field
/// (a page, a symbol) is added once. The CLI promises every key, absent values as `null`; MCP leaves absent
/// ones out: which, is the encoder's `userInfo[Records.explicitNulls]`.
public enum Records {
    /// Set to `true` in an encoder's userInfo to write absent values as `null`.
    public static let explicitNulls: CodingUserInfoKey = {
        guard let key = CodingUserInfoKey(rawValue: "qwery.explicitNulls") else { preconditionFailure("a constant, valid key") }
        return key
    }()

    /// Sorted keys, unescaped slashes, and `null` for absent values when `explicitNulls`.
    public static func encode<Value: Encodable>(_ value: Value, explicitNulls: Bool) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.userInfo[Self.explicitNulls] = explicitNulls
        // Encoding these records cannot fail: no non-finite floats reach them (scores are finite or nil).
        guard let data = try? encoder.encode(value) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}

extension KeyedEncodingContainer {
    /// `value`, or `null` when absent and the encoder writes explicit nulls, else nothing.
    mutating func encodeOptional<Value: Encodable>(_ value: Value?, forKey key: Key, encoder: any Encoder) throws {
        if encoder.userInfo[Records.explicitNulls] as? Bool == true {
            try encode(value, forKey: key)
        } else {
            try encodeIfPresent(value, forKey: key)
        }
    }
}

/// How much of the index semantic search reaches: chunk contents with a vector, and all distinct ones.
public struct CoverageRecord: Codable, Sendable, Equatable {
    public let vectors: Int
    public let chunks: Int

    public init(vectors: Int, chunks: Int) {
        self.vectors = vectors
        self.chunks = chunks
    }
}

/// One search result.
public struct ResultRecord: Codable, Sendable {
    public struct Scores: Codable, Sendable {
        public let vector: Float?
        public let lexical: Double?
        public let fused: Double
        public let rerank: Float?

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeOptional(vector, forKey: .vector, encoder: encoder)
            try container.encodeOptional(lexical, forKey: .lexical, encoder: encoder)
            try container.encode(fused, forKey: .fused)
            try container.encodeOptional(rerank, forKey: .rerank, encoder: encoder)
        }

        enum CodingKeys: String, CodingKey { case vector, lexical, fused, rerank }
    }

    public let rank: Int
    public let path: String
    public let startLine: Int
    public let endLine: Int
    /// A PDF hit's page or a notebook hit's cell (1-based), written as "page" or "cell".
    public let locator: Locator?
    /// Code: the symbols of the chunk (`Ledger.reconcile`), null without a grammar or outside definitions.
    public let symbol: String?
    public let context: String
    public let snippet: String
    public let scores: Scores
    public let vectorRank: Int?
    public let lexicalRank: Int?
    public let rankBeforeRerank: Int
    /// Other files that hold this very chunk (listed once, here); empty for most results.
    public let identicalPaths: [String]
    /// Per result in JSON Lines (each line stands alone); MCP puts it once beside the list instead.
    public let coverage: CoverageRecord?

    public init(_ result: SearchResult, rank: Int, snippet: String, coverage: CoverageRecord?) {
        self.rank = rank
        path = result.path
        startLine = result.startLine
        endLine = result.endLine
        locator = result.locator
        symbol = result.symbol
        context = result.context
        self.snippet = snippet
        scores = Scores(vector: result.vectorScore, lexical: result.lexicalScore, fused: result.fusedScore, rerank: result.rerankScore)
        vectorRank = result.vectorRank
        lexicalRank = result.lexicalRank
        rankBeforeRerank = result.fusedRank
        identicalPaths = result.identicalPaths
        self.coverage = coverage
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        rank = try container.decode(Int.self, forKey: .rank)
        path = try container.decode(String.self, forKey: .path)
        startLine = try container.decode(Int.self, forKey: .startLine)
        endLine = try container.decode(Int.self, forKey: .endLine)
        if let page = try container.decodeIfPresent(Int.self, forKey: .page) {
            locator = .page(page)
        } else {
            locator = try container.decodeIfPresent(Int.self, forKey: .cell).map(Locator.cell)
        }
        symbol = try container.decodeIfPresent(String.self, forKey: .symbol)
        context = try container.decode(String.self, forKey: .context)
        snippet = try container.decode(String.self, forKey: .snippet)
        scores = try container.decode(Scores.self, forKey: .scores)
        vectorRank = try container.decodeIfPresent(Int.self, forKey: .vectorRank)
        lexicalRank = try container.decodeIfPresent(Int.self, forKey: .lexicalRank)
        rankBeforeRerank = try container.decode(Int.self, forKey: .rankBeforeRerank)
        identicalPaths = try container.decodeIfPresent([String].self, forKey: .identicalPaths) ?? []
        coverage = try container.decodeIfPresent(CoverageRecord.self, forKey: .coverage)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(rank, forKey: .rank)
        try container.encode(path, forKey: .path)
        try container.encode(startLine, forKey: .startLine)
        try container.encode(endLine, forKey: .endLine)
        switch locator {
        case .page(let page): try container.encode(page, forKey: .page)
        case .cell(let cell): try container.encode(cell, forKey: .cell)
        case nil: break
        }
        try container.encodeOptional(symbol, forKey: .symbol, encoder: encoder)
        try container.encode(context, forKey: .context)
        try container.encode(snippet, forKey: .snippet)
        try container.encode(scores, forKey: .scores)
        try container.encodeOptional(vectorRank, forKey: .vectorRank, encoder: encoder)
        try container.encodeOptional(lexicalRank, forKey: .lexicalRank, encoder: encoder)
        try container.encode(rankBeforeRerank, forKey: .rankBeforeRerank)
        try container.encode(identicalPaths, forKey: .identicalPaths)
        try container.encodeIfPresent(coverage, forKey: .coverage)
    }

    enum CodingKeys: String, CodingKey {
        case rank, path, context, snippet, scores, coverage, page, cell, symbol
        case startLine = "start_line"
        case endLine = "end_line"
        case vectorRank = "vector_rank"
        case lexicalRank = "lexical_rank"
        case rankBeforeRerank = "rank_before_rerank"
        case identicalPaths = "identical_paths"
    }
}

/// The index's state: `qwery status --json` and MCP `status`.
public struct StatusRecord: Codable, Sendable {
    public struct Model: Codable, Sendable {
        public let identity: String
        public let name: String
        public let dimension: Int
        public let vectors: Int
        public let coverage: CoverageRecord
    }

    public struct Skipped: Codable, Sendable {
        public let path: String
        public let reason: String
    }

    /// Files of one format: "PDF", "Word (DOCX)", "Markdown", "code", "text"…
    public struct Format: Codable, Sendable, Equatable {
        public let format: String
        public let indexed: Int
        public let skipped: Int
    }

    public let index: String
    public let roots: [String]
    public let files: Int
    public let chunks: Int
    public let distinctChunks: Int
    public let models: [Model]
    public let skipped: [Skipped]
    public let formats: [Format]
    /// Languages whose code is chunked along its syntax tree (their grammars load); other code is cut by indentation.
    public let parsedLanguages: [String]
    /// The process indexing this index right now, if any.
    public let writerPid: Int32?
    /// What a running server has loaded and whether it is indexing (MCP); absent from `qwery status`.
    public var vectors: Int?
    public var embeddingModel: String?
    public var rerankerModel: String?
    public var updating: Bool?
    /// The `qwery watch` serving this index's searches, when one answers (`qwery status`; null when none does).
    public var server: ServerInfo?

    public init(_ status: IndexStatus, path: String, writerPid: Int32?) {
        index = path
        roots = status.roots
        files = status.indexedFiles
        chunks = status.chunks
        distinctChunks = status.distinctChunkContents
        models = status.models.map {
            Model(identity: $0.identity, name: $0.name, dimension: $0.dimension, vectors: $0.vectors,
                  coverage: CoverageRecord(vectors: $0.vectors, chunks: status.distinctChunkContents))
        }
        skipped = status.skippedFiles.map { Skipped(path: $0.path, reason: $0.reason) }
        formats = Self.formatCounts(status.extensionCounts)
        parsedLanguages = GrammarReports.shared.usableLanguages
        self.writerPid = writerPid
    }

    /// Extension counts grouped by what qwery reads the files as, most files first.
    public static func formatCounts(_ counts: [(fileExtension: String, indexed: Int, skipped: Int)]) -> [Format] {
        var totals: [String: (Int, Int)] = [:]
        for count in counts {
            let path = "x." + count.fileExtension
            let name: String
            if let document = DocumentFormat(path: path) {
                name = document.displayName
            } else {
                switch FileKind(path: count.fileExtension.isEmpty ? "x" : path) {
                case .markdown: name = "Markdown"
                case .org: name = "org"
                case .code: name = "code"
                case .text: name = "text"
                }
            }
            let total = totals[name] ?? (0, 0)
            totals[name] = (total.0 + count.indexed, total.1 + count.skipped)
        }
        return totals.map { Format(format: $0.key, indexed: $0.value.0, skipped: $0.value.1) }
            .sorted { ($0.indexed + $0.skipped, $1.format) > ($1.indexed + $1.skipped, $0.format) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(index, forKey: .index)
        try container.encode(roots, forKey: .roots)
        try container.encode(files, forKey: .files)
        try container.encode(chunks, forKey: .chunks)
        try container.encode(distinctChunks, forKey: .distinctChunks)
        try container.encode(models, forKey: .models)
        try container.encode(skipped, forKey: .skipped)
        try container.encode(formats, forKey: .formats)
        try container.encode(parsedLanguages, forKey: .parsedLanguages)
        try container.encodeOptional(writerPid, forKey: .writerPid, encoder: encoder)
        try container.encodeIfPresent(vectors, forKey: .vectors)
        try container.encodeIfPresent(embeddingModel, forKey: .embeddingModel)
        try container.encodeIfPresent(rerankerModel, forKey: .rerankerModel)
        try container.encodeIfPresent(updating, forKey: .updating)
        try container.encodeOptional(server, forKey: .server, encoder: encoder)
    }

    enum CodingKeys: String, CodingKey {
        case index, roots, files, chunks, models, skipped, vectors, updating, formats, server
        case distinctChunks = "distinct_chunks"
        case parsedLanguages = "parsed_languages"
        case writerPid = "writer_pid"
        case embeddingModel = "embedding_model"
        case rerankerModel = "reranker_model"
    }
}
