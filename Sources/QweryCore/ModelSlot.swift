import Corpus
import Engine
import Foundation
import Indexing
import Search
import Synchronization

/// The models of one process — the embedding model and the reranker of `settings`, each loaded once, on
/// first use, in the resolved precision — and the `EngineScheduler` all their work goes through. The
/// `Library` holds one; `qwery embed` and `qwery rerank` use one without an index.
package final class ModelSlot: Sendable {
    package let settings: Settings
    package let scheduler = EngineScheduler()
    private let loadedEmbedder = Mutex<Embedder??>(nil)
    private let loadedReranker = Mutex<RerankPass??>(nil)
    private let choices = Mutex<[String: PrecisionChoice]>([:])
    /// Told before a calibration measures (a second or two per CPU, seconds per new model).
    private let announce: @Sendable (String) -> Void
    /// Where a face shows work under way rather than a problem (the screen's status bar, no warning sign): the
    /// calibration's line with its time estimate, then nil once it is done. Without it, `announce` is told.
    private let progress: (@Sendable (String?) -> Void)?
    private let calibrationCache: CalibrationCache

    package init(settings: Settings, calibrationCache: CalibrationCache = CalibrationCache(),
                announce: @escaping @Sendable (String) -> Void = ModelSlot.announceOnStandardError,
                progress: (@Sendable (String?) -> Void)? = nil) {
        self.settings = settings
        self.calibrationCache = calibrationCache
        self.announce = announce
        self.progress = progress
    }

    package static let announceOnStandardError: @Sendable (String) -> Void = { line in
        FileHandle.standardError.write(Data("qwery: \(line)\n".utf8))
    }

    /// The precision a model runs in, and why: the one chosen by flag, variable or config, else the measured
    /// choice for this CPU and model (cached per model folder for this process).
    package func precision(forReranker: Bool) throws -> (precision: Precision, reason: String) {
        let configured = forReranker ? settings.rerankPrecision : settings.precision
        let measures = forReranker ? settings.measuresRerankPrecision : settings.measuresPrecision
        guard measures, let folder = forReranker ? settings.reranker.value : settings.embeddingModel.value else {
            return (configured.value, configured.source.description)
        }
        let key = (forReranker ? "reranker " : "embedding ") + folder
        if let known = choices.withLock({ $0[key] }) { return (known.precision, known.reason) }
        var measured = false
        defer { if measured { progress?(nil) } }
        let choice = try PrecisionChoice.measured(folder: folder, isReranker: forReranker, cache: calibrationCache) { line in
            measured = true
            if let progress { progress(line) } else { announce(line) }
        }
        choices.withLock { $0[key] = choice }
        return (choice.precision, choice.reason)
    }

    /// The embedding model, loaded on first use; nil when there is none (lexical search only).
    func embedder() throws -> Embedder? {
        try loadedEmbedder.withLock { slot in
            if let loaded = slot { return loaded }
            let embedder = try settings.embeddingModel.value.map {
                try Embedder(folder: $0, precision: try precision(forReranker: false).precision, maximumTokens: settings.maximumTokens)
            }
            slot = .some(embedder)
            return embedder
        }
    }

    /// The rerank pass over the reranker (its scores cached by content), loaded on first use; nil when there
    /// is no reranker.
    func rerankPass() throws -> RerankPass? {
        try loadedReranker.withLock { slot in
            if let loaded = slot { return loaded }
            let pass = try settings.reranker.value.map { folder in
                RerankPass(reranker: try Reranker(folder: folder, precision: try precision(forReranker: true).precision,
                                                  maximumTokens: settings.maximumTokens),
                           modelIdentity: try ModelIdentity.compute(folder: folder), scheduler: scheduler)
            }
            slot = .some(pass)
            return pass
        }
    }

    /// How the rerank pass orders, once loaded (nil before, or without a reranker).
    var loadedRerankPolicy: RerankPolicy? { loadedReranker.withLock { $0 }??.policy }

    /// The reranker itself, for scoring outside a search (`qwery rerank`).
    func reranker() throws -> Reranker? {
        try rerankPass()?.reranker
    }

    // MARK: - Operations (`qwery embed`, `qwery rerank`)

    /// The reranker's instruction unless one is given (the model card's).
    package static let defaultRerankInstruction = Reranker.defaultInstruction

    /// Vectors for texts: as documents, or with `instruction` as queries (`Instruct: …\nQuery:…`), cut to
    /// `dimensions` (MRL) when given. Nil without an embedding model.
    package func embed(_ texts: [String], instruction: String?, dimensions: Int?) throws -> [[Float]]? {
        guard let embedder = try embedder() else { return nil }
        if let instruction { return try embedder.embedQueries(texts, instruction: instruction, dimensions: dimensions) }
        return try embedder.embedDocuments(texts, dimensions: dimensions)
    }

    /// P("yes") of each document for the query. Nil without a reranker.
    package func rerankScores(query: String, documents: [String], instruction: String) throws -> [Float]? {
        try reranker()?.scores(query: query, documents: documents, instruction: instruction)
    }
}
