import Foundation
import Search
import Store
import Corpus
import Syntax

/// The JSON records every face prints: `qwery search/similar --json` (one `ResultRecord` a line),
/// `qwery status --json` and the MCP tools (`structuredContent` and its text). One type each, encoded by their
/// synthesized `Codable`, so a new field (a page, a symbol) is added once. The CLI promises every key, absent
/// values as `null`; MCP leaves absent ones out: which, is `Records.encode`'s `explicitNulls`, read by the fields
/// marked `@Nullable` (a plain optional is always left out when absent).
package enum Records {
    /// Whether the encoding under way writes absent `@Nullable` values as `null` (set by `encode`).
    @TaskLocal static var writesNulls = false

    /// Sorted keys, unescaped slashes, and `null` for absent `@Nullable` values when `explicitNulls`.
    package static func encode<Value: Encodable>(_ value: Value, explicitNulls: Bool) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding these records cannot fail: no non-finite floats reach them (scores are finite or nil).
        let data = $writesNulls.withValue(explicitNulls) { try? encoder.encode(value) }
        return data.map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

/// An optional field written as `null` when absent in the CLI's JSON and left out in MCP's (`Records.encode`).
@propertyWrapper
package struct Nullable<Value: Codable & Sendable>: Codable, Sendable {
    package var wrappedValue: Value?

    package init(wrappedValue: Value?) {
        self.wrappedValue = wrappedValue
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        wrappedValue = container.decodeNil() ? nil : try container.decode(Value.self)
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
    }
}

extension KeyedEncodingContainer {
    /// What the synthesized `encode(to:)` calls for a `@Nullable` field: the value, `null`, or nothing.
    package mutating func encode<Value>(_ value: Nullable<Value>, forKey key: Key) throws {
        if let wrapped = value.wrappedValue {
            try encode(wrapped, forKey: key)
        } else if Records.writesNulls {
            try encodeNil(forKey: key)
        }
    }
}

extension KeyedDecodingContainer {
    /// A `@Nullable` field may be absent (MCP's JSON) or `null` (the CLI's).
    package func decode<Value>(_ type: Nullable<Value>.Type, forKey key: Key) throws -> Nullable<Value> {
        Nullable(wrappedValue: try decodeIfPresent(Value.self, forKey: key))
    }
}

/// How much of the index semantic search reaches: chunk contents with a vector, and all distinct ones.
package struct CoverageRecord: Codable, Sendable, Equatable {
    package let vectors: Int
    package let chunks: Int

    package init(vectors: Int, chunks: Int) {
        self.vectors = vectors
        self.chunks = chunks
    }
}

/// One search result, as `--json` and MCP print it: the result's chunk and scores, its rank and snippet.
package struct ResultRecord: Codable, Sendable {
    package struct Scores: Codable, Sendable {
        @Nullable package var vector: Float?
        @Nullable package var lexical: Double?
        package var fused: Double
        @Nullable package var rerank: Float?
    }

    package let rank: Int
    package let path: String
    package let startLine: Int
    package let endLine: Int
    /// A PDF hit's page or a notebook hit's cell (1-based); the key is left out for other files.
    package let page: Int?
    package let cell: Int?
    /// Code: the symbols of the chunk (`Ledger.reconcile`), null without a grammar or outside definitions.
    @Nullable package var symbol: String?
    package let context: String
    package let snippet: String
    package let scores: Scores
    @Nullable package var vectorRank: Int?
    @Nullable package var lexicalRank: Int?
    package let rankBeforeRerank: Int
    /// Other files that hold this very chunk (listed once, here); empty for most results.
    package let identicalPaths: [String]
    /// Per result in JSON Lines (each line stands alone); MCP puts it once beside the list instead.
    package let coverage: CoverageRecord?

    /// The page or cell, as the rest of qwery names it.
    package var locator: Locator? { page.map(Locator.page) ?? cell.map(Locator.cell) }

    package init(_ result: SearchResult, rank: Int, snippet: String, coverage: CoverageRecord?) {
        self.rank = rank
        path = result.path
        startLine = result.startLine
        endLine = result.endLine
        if case .page(let number) = result.locator { page = number } else { page = nil }
        if case .cell(let number) = result.locator { cell = number } else { cell = nil }
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
package struct StatusRecord: Codable, Sendable {
    package struct Model: Codable, Sendable {
        package let identity: String
        package let name: String
        package let dimension: Int
        package let vectors: Int
        package let coverage: CoverageRecord
    }

    package struct Skipped: Codable, Sendable {
        package let path: String
        package let reason: String
    }

    /// Files of one format: "PDF", "Word (DOCX)", "Markdown", "code", "text"…
    package struct Format: Codable, Sendable, Equatable {
        package let format: String
        package let indexed: Int
        package let skipped: Int
    }

    package let index: String
    package let roots: [String]
    package let files: Int
    package let chunks: Int
    package let distinctChunks: Int
    package let models: [Model]
    package let skipped: [Skipped]
    package let formats: [Format]
    /// Languages whose code is chunked along its syntax tree (their grammars load); other code is cut by indentation.
    package let parsedLanguages: [String]
    /// The process indexing this index right now, if any.
    @Nullable package var writerPid: Int32?
    /// What a running server has loaded and whether it is indexing (MCP); absent from `qwery status`.
    package var vectors: Int?
    package var embeddingModel: String?
    package var rerankerModel: String?
    package var updating: Bool?
    /// The `qwery watch` serving this index's searches, when one answers (`qwery status`; null when none does).
    @Nullable package var server: ServerInfo?

    package init(_ status: IndexStatus, path: String, writerPid: Int32?) {
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
    package static func formatCounts(_ counts: [(fileExtension: String, indexed: Int, skipped: Int)]) -> [Format] {
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

    enum CodingKeys: String, CodingKey {
        case index, roots, files, chunks, models, skipped, vectors, updating, formats, server
        case distinctChunks = "distinct_chunks"
        case parsedLanguages = "parsed_languages"
        case writerPid = "writer_pid"
        case embeddingModel = "embedding_model"
        case rerankerModel = "reranker_model"
    }
}
