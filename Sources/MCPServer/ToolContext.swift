import Foundation
import Indexing
import Search
import Store

/// What the MCP tools work on: the index and its folders, search (with the query embedder when there is
/// a model) and the reranker when there is one. Built by `qwery mcp`, or by a test over fixtures.
public struct ToolContext: Sendable {
    public let database: AppDatabase
    /// Real paths of the indexed folders: `get` reads inside them only.
    public let roots: [String]
    public let service: SearchService
    public let rerankPass: RerankPass?
    /// Model names for `status`: embedding and reranker.
    public let embeddingModel: String?
    public let rerankerModel: String?
    /// Whether the index is being updated right now (this process indexing, or following another writer).
    public let isUpdating: @Sendable () -> Bool

    public init(database: AppDatabase, roots: [String], service: SearchService, rerankPass: RerankPass?,
                embeddingModel: String?, rerankerModel: String?, isUpdating: @escaping @Sendable () -> Bool = { false }) {
        self.database = database
        self.roots = RootedFile(roots: roots).roots
        self.service = service
        self.rerankPass = rerankPass
        self.embeddingModel = embeddingModel
        self.rerankerModel = rerankerModel
        self.isUpdating = isUpdating
    }
}
