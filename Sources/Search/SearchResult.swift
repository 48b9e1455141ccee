import Corpus
import Foundation

/// One ranked chunk with every score that placed it.
public struct SearchResult: Sendable, Equatable, Codable {
    public let chunkId: Int64
    public let path: String
    public let startLine: Int
    public let endLine: Int
    public let context: String
    public let text: String
    public let contentHash: Data
    /// A document chunk's page (PDF) or cell (notebook).
    public var locator: Locator?
    /// Code parsed by a grammar: the symbols the chunk holds (`Ledger.reconcile`).
    public var symbol: String?
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
    /// Where the chunk starts in its file (UTF-8 bytes): a piece of a line too long for one chunk starts inside that
    /// line, and `--vimgrep` counts its column from the line's start.
    public var startByte = 0

    public init(chunkId: Int64, path: String, startLine: Int, endLine: Int, context: String, text: String, contentHash: Data,
                locator: Locator? = nil, symbol: String? = nil) {
        self.locator = locator
        self.symbol = symbol
        self.chunkId = chunkId
        self.path = path
        self.startLine = startLine
        self.endLine = endLine
        self.context = context
        self.text = text
        self.contentHash = contentHash
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
    public static let builtIn = [notes, code, web]
}
