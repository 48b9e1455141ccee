import Foundation
import QweryCore

/// What the MCP tools work on: a `Library` (the index, its models, search and rerank) and the folders `get`
/// and `similar` may read. Built by `qwery mcp`, or by a test over fixtures.
package struct ToolContext: Sendable {
    package let library: Library
    /// Real paths of the indexed folders: `get` reads inside them only.
    package let roots: [String]
    /// Whether the index is being updated right now (this process indexing, or following another writer).
    package let isUpdating: @Sendable () -> Bool
    /// The running `qwery watch` of this index, when one answered at start: searches go there first, so this process
    /// loads no model of its own (it still does, on first need, if the server stops answering).
    package let server: QueryServerClient?

    package init(library: Library, roots: [String], isUpdating: @escaping @Sendable () -> Bool = { false }, server: QueryServerClient? = nil) {
        self.library = library
        self.roots = Library.realRoots(roots)
        self.isUpdating = isUpdating
        self.server = server
    }

    /// Model names for `status`.
    var embeddingModel: String? { library.settings.embeddingModel.value.map(ModelLocator.displayName) }
    var rerankerModel: String? { library.settings.reranker.value.map(ModelLocator.displayName) }
}
