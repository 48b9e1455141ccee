import QweryCore

/// The whole state of the TUI; only `reduce` changes it, `render` draws it.
package struct AppState: Sendable {
    /// Where keys go.
    package enum Focus: Sendable, Equatable {
        case list
        case preview
    }

    /// A window over the main screen.
    package enum Overlay: Sendable, Equatable {
        case help
        /// Choosing a preset (`selected` < presets.count) or typing a custom instruction.
        case instructionEditor(selected: Int, custom: QueryLine)
    }

    /// What the status bar says about background work.
    /// How much of the index semantic search covers while vectors are still being made.
    package struct Coverage: Sendable, Equatable {
        package var searchable: Int
        package var total: Int
    }

    package struct Status: Sendable, Equatable {
        package var indexing = IndexingProgress.starting
        package var watching = ""
        package var embeddingModel = "no embedding model"
        /// Whether an embedding model is configured (dimension and instruction mean nothing without one).
        package var hasEmbeddingModel = true
        package var rerankerModel: String?
        package var semanticAvailable = false
        package var rerankDone = 0
        package var rerankTotal = 0
        package var rerankRunning = false
        package var lastSearchMilliseconds: Double?
        package var notice: String?
        /// Work under way that is no problem (a precision being measured, with its estimate).
        package var activity: String?
        /// While a first index or a re-index embeds: vectors searchable so far and all chunks.
        package var coverage: Coverage?
    }

    package var query = QueryLine() {
        // Parsed when the line changes, not each time a view or rule asks (it was about ten times per keystroke).
        didSet { if query.text != oldValue.text { analysis = QueryAnalysis(query.text) } }
    }
    /// The query line parsed: its filters, terms, and whether it is filters alone.
    package private(set) var analysis = QueryAnalysis("")
    /// The "more like this" target while the query line still shows it unedited.
    package var similarTarget: SimilarTarget?
    /// What the screen showed before "more like this", put back when that search cannot run (the chunk has no
    /// vector yet), so the old list never sits under the new query line.
    package var beforeSimilar: (query: QueryLine, results: [SearchResult], selection: Int, answered: Int)?
    /// Whether the current query is a "more like this" search (ranked by stored vectors, not reranked).
    package var isSimilarSearch: Bool { similarTarget.map { $0.queryText == query.text } ?? false }
    /// Whether the current query is filters alone (`sym:reconcile`): listed, not reranked.
    package var isFilterOnlyQuery: Bool { analysis.isFilterOnly }
    package var results: [SearchResult] = []
    package var selection = 0
    /// Set once the user moves the selection: from then on it follows that result when the list is
    /// re-ordered; until then it stays on the top result.
    package var selectionPinned = false
    package var listScroll = 0
    package var focus = Focus.list
    package var previewScroll = 0
    package var previewPath: String?
    package var previewLines: [String] = []
    /// Per preview line, its highlighted runs (nil: plain text).
    package var previewHighlights: [[HighlightRun]]?
    package var overlay: Overlay?
    package var status = Status()
    package var rows = 24
    package var columns = 80

    /// MRL sizes offered; nil means the model's full size.
    package var dimensionChoices: [Int?] = AppState.dimensionChoices(full: 1024)
    package var dimensionIndex = 0
    package var fullDimension = 1024 {
        didSet { dimensionChoices = Self.dimensionChoices(full: fullDimension) }
    }

    /// The model's full size, then the MRL sizes below it (halves and quarters for tiny models).
    package static func dimensionChoices(full: Int) -> [Int?] {
        let standard = [32, 64, 128, 256, 512, 768].filter { $0 < full }
        return [nil] + (standard.isEmpty ? [full / 2, full / 4].filter { $0 > 0 } : standard)
    }
    package var presets: [InstructionPreset] = InstructionPreset.builtIn
    /// The themes F7 cycles through (those found, `Theme.available`), and the one in use.
    package var themes: [String] = ["dark"]
    package var themeName = "dark"
    package var presetIndex = 0
    package var customInstruction: String?
    package var rerankEnabled = true
    package var rerankDepth = SearchParameters.defaultRerankDepth
    /// How the reranker's scores re-order the list (the loaded reranker's, as the pipeline's final order).
    package var rerankPolicy: RerankPolicy = .reorder
    /// Bumped whenever the query, instruction or dimension changes: stale background results are dropped.
    package var generation = 0
    /// The newest generation whose search has answered (results, or a failure): when it lags `generation`
    /// and nothing is listed, the screen says "Searching…" rather than "No results" (a stage still runs).
    package var answeredGeneration = 0
    package var phase: SearchPhase?
    package var shouldQuit = false
    /// The folders searched, for showing paths relative to them.
    package var roots: [String] = []

    package init() {}

    package var dimensions: Int? { dimensionChoices[dimensionIndex] }
    package var dimensionLabel: String { "\(dimensions ?? fullDimension)d" }
    package var instruction: String { customInstruction ?? presets[presetIndex].instruction }
    package var instructionLabel: String { customInstruction == nil ? presets[presetIndex].name : "custom" }
    package var selectedResult: SearchResult? { results.indices.contains(selection) ? results[selection] : nil }

    /// `path` relative to the searched folder it is in (with that folder's name when there are several).
    package func displayPath(_ path: String) -> String {
        for root in roots where path.hasPrefix(root + "/") {
            let relative = String(path.dropFirst(root.count + 1))
            return roots.count > 1 ? (root.split(separator: "/").last.map(String.init) ?? root) + "/" + relative : relative
        }
        return path
    }

    /// Rows the result list has on screen (the layout decides).
    package var listHeight: Int { Layout(rows: rows, columns: columns).list.height }
}
