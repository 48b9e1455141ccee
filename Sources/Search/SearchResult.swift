import Corpus
import Foundation
import Store

/// One ranked chunk with every score that placed it: the stored chunk itself (`ChunkRow`, as Store reads it),
/// its file's path, and the scores. The JSON faces print is `ResultRecord`, made from this.
package struct SearchResult: Sendable, Equatable, Codable {
    package var chunk: ChunkRow
    package let path: String
    /// Cosine similarity at the active dimension, when the chunk was among the semantic hits.
    package var vectorScore: Float?
    /// Rank (1-based) in the semantic list.
    package var vectorRank: Int?
    /// FTS5 BM25 score (higher is better), when the chunk was among the lexical hits.
    package var lexicalScore: Double?
    package var lexicalRank: Int?
    /// Reciprocal rank fusion of both lists.
    package var fusedScore: Double = 0
    /// Position (1-based) in the fused list, before the reranker.
    package var fusedRank: Int = 0
    /// Other files holding a chunk identical to this one (same content hash): listed once, here (`+2 identical`).
    package var identicalPaths: [String] = []
    /// P("yes") from the reranker, once scored.
    package var rerankScore: Float?

    package init(chunk: ChunkRow, path: String) {
        self.chunk = chunk
        self.path = path
    }

    package init(chunkId: Int64, path: String, startLine: Int, endLine: Int, context: String, text: String, contentHash: Data,
                locator: Locator? = nil, symbol: String? = nil) {
        self.init(chunk: ChunkRow(id: chunkId, startLine: startLine, endLine: endLine, context: context, text: text,
                                  contentHash: contentHash, locator: locator, symbol: symbol), path: path)
    }

    // The chunk's own fields, read where a result is shown.
    package var chunkId: Int64 { chunk.id }
    package var startLine: Int { chunk.startLine }
    package var endLine: Int { chunk.endLine }
    package var context: String { chunk.context }
    package var text: String { chunk.text }
    package var contentHash: Data { chunk.contentHash }
    /// A document chunk's page (PDF) or cell (notebook).
    package var locator: Locator? {
        get { chunk.locator }
        set { chunk.locator = newValue }
    }
    /// Code parsed by a grammar: the symbols the chunk holds (`Ledger.reconcile`).
    package var symbol: String? {
        get { chunk.symbol }
        set { chunk.symbol = newValue }
    }
    /// Where the chunk starts in its file (UTF-8 bytes): a piece of a line too long for one chunk starts inside that
    /// line, and `--vimgrep` counts its column from the line's start.
    package var startByte: Int {
        get { chunk.startByte }
        set { chunk.startByte = newValue }
    }
}

/// A task instruction preset for queries (Qwen3-Embedding is instruction-aware).
package struct InstructionPreset: Sendable, Equatable {
    package let name: String
    package let instruction: String

    package init(name: String, instruction: String) {
        self.name = name
        self.instruction = instruction
    }

    package static let notes = InstructionPreset(name: "notes", instruction: "Given a search query, retrieve relevant passages from personal notes")
    package static let code = InstructionPreset(name: "code", instruction: "Given a code search query, retrieve relevant code snippets")
    package static let web = InstructionPreset(name: "web", instruction: "Given a web search query, retrieve relevant passages that answer the query")
    /// A project's documentation over its code: the page that explains a name before the code that defines it.
    package static let docs = InstructionPreset(name: "docs", instruction: "Given a question about a software project, retrieve the documentation passages that answer it")
    package static let builtIn = [notes, code, web, docs]
}
