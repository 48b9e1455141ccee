import Foundation
import Indexing
import QweryCore

/// What the MCP tools work on: a `Library` (the index, its models, search and rerank) and the folders `get`
/// and `similar` may read. Built by `qwery mcp`, or by a test over fixtures.
public struct ToolContext: Sendable {
    public let library: Library
    /// Real paths of the indexed folders: `get` reads inside them only.
    public let roots: [String]
    /// Whether the index is being updated right now (this process indexing, or following another writer).
    public let isUpdating: @Sendable () -> Bool

    public init(library: Library, roots: [String], isUpdating: @escaping @Sendable () -> Bool = { false }) {
        self.library = library
        self.roots = RootedFile(roots: roots).roots
        self.isUpdating = isUpdating
    }

    /// Model names for `status`.
    var embeddingModel: String? { library.settings.embeddingModel.value.map(ModelLocator.displayName) }
    var rerankerModel: String? { library.settings.reranker.value.map(ModelLocator.displayName) }
}
