import Engine
import Indexing
import Search
import Synchronization

/// The models of one process — the embedding model and the reranker of `settings`, each loaded once, on
/// first use, in the resolved precision — and the `EngineScheduler` all their work goes through. The
/// `Library` holds one; `qwery embed` and `qwery rerank` use one without an index.
public final class ModelSlot: Sendable {
    public let settings: Settings
    public let scheduler = EngineScheduler()
    private let loadedEmbedder = Mutex<Embedder??>(nil)
    private let loadedReranker = Mutex<RerankPass??>(nil)

    public init(settings: Settings) {
        self.settings = settings
    }

    /// The embedding model, loaded on first use; nil when there is none (lexical search only).
    public func embedder() throws -> Embedder? {
        try loadedEmbedder.withLock { slot in
            if let loaded = slot { return loaded }
            let embedder = try settings.embeddingModel.value.map {
                try Embedder(folder: $0, precision: settings.precision.value, maximumTokens: settings.maximumTokens)
            }
            slot = .some(embedder)
            return embedder
        }
    }

    /// The rerank pass over the reranker (its scores cached by content), loaded on first use; nil when there
    /// is no reranker.
    public func rerankPass() throws -> RerankPass? {
        try loadedReranker.withLock { slot in
            if let loaded = slot { return loaded }
            let pass = try settings.reranker.value.map { folder in
                RerankPass(reranker: try Reranker(folder: folder, precision: settings.rerankPrecision.value,
                                                  maximumTokens: settings.maximumTokens),
                           modelIdentity: try ModelIdentity.compute(folder: folder), scheduler: scheduler)
            }
            slot = .some(pass)
            return pass
        }
    }

    /// The reranker itself, for scoring outside a search (`qwery rerank`).
    public func reranker() throws -> Reranker? {
        try rerankPass()?.reranker
    }
}
