import QweryCore

/// The whole state of the TUI; only `reduce` changes it, `render` draws it.
public struct AppState: Sendable {
    /// Where keys go.
    public enum Focus: Sendable, Equatable {
        case list
        case preview
    }

    /// A window over the main screen.
    public enum Overlay: Sendable, Equatable {
        case help
        /// Choosing a preset (`selected` < presets.count) or typing a custom instruction.
        case instructionEditor(selected: Int, custom: QueryLine)
    }

    /// What the status bar says about background work.
    /// How much of the index semantic search covers while vectors are still being made.
    public struct Coverage: Sendable, Equatable {
        public var searchable: Int
        public var total: Int
    }

    public struct Status: Sendable, Equatable {
        public var indexing = IndexingProgress.starting
        public var watching = ""
        public var embeddingModel = "no embedding model"
        /// Whether an embedding model is configured (dimension and instruction mean nothing without one).
        public var hasEmbeddingModel = true
        public var rerankerModel: String?
        public var semanticAvailable = false
        public var rerankDone = 0
        public var rerankTotal = 0
        public var rerankRunning = false
        public var lastSearchMilliseconds: Double?
        public var notice: String?
        /// Work under way that is no problem (a precision being measured, with its estimate).
        public var activity: String?
        /// While a first index or a re-index embeds: vectors searchable so far and all chunks.
        public var coverage: Coverage?
    }

    public var query = QueryLine() {
        // Parsed when the line changes, not each time a view or rule asks (it was about ten times per keystroke).
        didSet { if query.text != oldValue.text { analysis = QueryAnalysis(query.text) } }
    }
    /// The query line parsed: its filters, terms, and whether it is filters alone.
    public private(set) var analysis = QueryAnalysis("")
    /// The "more like this" target while the query line still shows it unedited.
    public var similarTarget: SimilarTarget?
    /// What the screen showed before "more like this", put back when that search cannot run (the chunk has no
    /// vector yet), so the old list never sits under the new query line.
    public var beforeSimilar: (query: QueryLine, results: [SearchResult], selection: Int, answered: Int)?
    /// Whether the current query is a "more like this" search (ranked by stored vectors, not reranked).
    public var isSimilarSearch: Bool { similarTarget.map { $0.queryText == query.text } ?? false }
    /// Whether the current query is filters alone (`sym:reconcile`): listed, not reranked.
    public var isFilterOnlyQuery: Bool { analysis.isFilterOnly }
    public var results: [SearchResult] = []
    public var selection = 0
    /// Set once the user moves the selection: from then on it follows that result when the list is
    /// re-ordered; until then it stays on the top result.
    public var selectionPinned = false
    public var listScroll = 0
    public var focus = Focus.list
    public var previewScroll = 0
    public var previewPath: String?
    public var previewLines: [String] = []
    /// Per preview line, its highlighted runs (nil: plain text).
    public var previewHighlights: [[HighlightRun]]?
    public var overlay: Overlay?
    public var status = Status()
    public var rows = 24
    public var columns = 80

    /// MRL sizes offered; nil means the model's full size.
    public var dimensionChoices: [Int?] = AppState.dimensionChoices(full: 1024)
    public var dimensionIndex = 0
    public var fullDimension = 1024 {
        didSet { dimensionChoices = Self.dimensionChoices(full: fullDimension) }
    }

    /// The model's full size, then the MRL sizes below it (halves and quarters for tiny models).
    public static func dimensionChoices(full: Int) -> [Int?] {
        let standard = [32, 64, 128, 256, 512, 768].filter { $0 < full }
        return [nil] + (standard.isEmpty ? [full / 2, full / 4].filter { $0 > 0 } : standard)
    }
    public var presets: [InstructionPreset] = InstructionPreset.builtIn
    /// The themes F7 cycles through (those found, `Theme.available`), and the one in use.
    public var themes: [String] = ["dark"]
    public var themeName = "dark"
    public var presetIndex = 0
    public var customInstruction: String?
    public var rerankEnabled = true
    public var rerankDepth = ScreenSession.defaultRerankDepth
    /// How the reranker's scores re-order the list (the loaded reranker's, as the pipeline's final order).
    public var rerankPolicy: RerankPolicy = .reorder
    /// Bumped whenever the query, instruction or dimension changes: stale background results are dropped.
    public var generation = 0
    /// The newest generation whose search has answered (results, or a failure): when it lags `generation`
    /// and nothing is listed, the screen says "Searching…" rather than "No results" (a stage still runs).
    public var answeredGeneration = 0
    public var phase: SearchPhase?
    public var shouldQuit = false
    /// The folders searched, for showing paths relative to them.
    public var roots: [String] = []

    public init() {}

    public var dimensions: Int? { dimensionChoices[dimensionIndex] }
    public var dimensionLabel: String { "\(dimensions ?? fullDimension)d" }
    public var instruction: String { customInstruction ?? presets[presetIndex].instruction }
    public var instructionLabel: String { customInstruction == nil ? presets[presetIndex].name : "custom" }
    public var selectedResult: SearchResult? { results.indices.contains(selection) ? results[selection] : nil }

    /// `path` relative to the searched folder it is in (with that folder's name when there are several).
    public func displayPath(_ path: String) -> String {
        for root in roots where path.hasPrefix(root + "/") {
            let relative = String(path.dropFirst(root.count + 1))
            return roots.count > 1 ? (root.split(separator: "/").last.map(String.init) ?? root) + "/" + relative : relative
        }
        return path
    }

    /// Rows the result list has on screen (the layout decides).
    public var listHeight: Int { Layout(rows: rows, columns: columns).list.height }
}
