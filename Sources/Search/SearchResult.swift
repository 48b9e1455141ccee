import Corpus
import Foundation
import Store

/// One ranked chunk with every score that placed it: the stored chunk itself (`ChunkRow`, as Store reads it),
/// its file's path, and the scores. The JSON faces print is `ResultRecord`, made from this.
public struct SearchResult: Sendable, Equatable, Codable {
    public var chunk: ChunkRow
    public let path: String
    /// Cosine similarity at the active dimension, when the chunk was among the semantic hits.
    public var vectorScore: Float?
    /// Rank (1-based) in the semantic list.
    public var vectorRank: Int?
    /// FTS5 BM25 score (higher is better), when the chunk was among the lexical hits.
    public var lexicalScore: Double?
    public var lexicalRank: Int?
    /// Reciprocal rank fusion of both lists.
    public var fusedScore: Double = 0
    /// Position (1-based) in the fused list, before the reranker.
    public var fusedRank: Int = 0
    /// Other files holding a chunk identical to this one (same content hash): listed once, here (`+2 identical`).
    public var identicalPaths: [String] = []
    /// P("yes") from the reranker, once scored.
    public var rerankScore: Float?

    public init(chunk: ChunkRow, path: String) {
        self.chunk = chunk
        self.path = path
    }

    public init(chunkId: Int64, path: String, startLine: Int, endLine: Int, context: String, text: String, contentHash: Data,
                locator: Locator? = nil, symbol: String? = nil) {
        self.init(chunk: ChunkRow(id: chunkId, startLine: startLine, endLine: endLine, context: context, text: text,
                                  contentHash: contentHash, locator: locator, symbol: symbol), path: path)
    }

    // The chunk's own fields, read where a result is shown.
    public var chunkId: Int64 { chunk.id }
    public var startLine: Int { chunk.startLine }
    public var endLine: Int { chunk.endLine }
    public var context: String { chunk.context }
    public var text: String { chunk.text }
    public var contentHash: Data { chunk.contentHash }
    /// A document chunk's page (PDF) or cell (notebook).
    public var locator: Locator? {
        get { chunk.locator }
        set { chunk.locator = newValue }
    }
    /// Code parsed by a grammar: the symbols the chunk holds (`Ledger.reconcile`).
    public var symbol: String? {
        get { chunk.symbol }
        set { chunk.symbol = newValue }
    }
    /// Where the chunk starts in its file (UTF-8 bytes): a piece of a line too long for one chunk starts inside that
    /// line, and `--vimgrep` counts its column from the line's start.
    public var startByte: Int {
        get { chunk.startByte }
        set { chunk.startByte = newValue }
    }
}

/// A task instruction preset for queries (Qwen3-Embedding is instruction-aware).
public struct InstructionPreset: Sendable, Equatable {
    public let name: String
    public let instruction: String

    public init(name: String, instruction: String) {
        self.name = name
        self.instruction = instruction
    }

    public static let notes = InstructionPreset(name: "notes", instruction: "Given a search query, retrieve relevant passages from personal notes")
    public static let code = InstructionPreset(name: "code", instruction: "Given a code search query, retrieve relevant code snippets")
    public static let web = InstructionPreset(name: "web", instruction: "Given a web search query, retrieve relevant passages that answer the query")
    /// A project's documentation over its code: the page that explains a name before the code that defines it.
    public static let docs = InstructionPreset(name: "docs", instruction: "Given a question about a software project, retrieve the documentation passages that answer it")
    public static let builtIn = [notes, code, web, docs]
}
