import Engine
import Foundation
import Corpus
import Store
import Synchronization

/// Hybrid retrieval over the index: lexical hits at once, semantic hits once the query is embedded,
/// fused by reciprocal rank. Query embeddings are cached per (query, instruction, model). Its stages serve
/// `SearchPipeline`, the one way the core searches; the whole-query conveniences (`search(String…)`,
/// `lexicalSearch`) are for the bench and the tests.
package final class SearchService: Sendable {
    package let database: AppDatabase
    /// The lexical ranking of a job that does not choose its own: the built-in one with the config's `[ranking]` priors.
    package let defaultRanking: LexicalRanking
    package let embedder: Embedder?
    /// The stored model whose vectors semantic search scans (same identity as `embedder`).
    package let model: ModelRecord?
    package let vectors: VectorIndex?
    let lexical: LexicalSearch
    /// The gate of this process's models: query embeddings are interactive work (before the indexer).
    package let scheduler: EngineScheduler?
    private let queryCache = Mutex<[String: [Float]]>([:])
    /// Filter sets decided by file, with the files' change count they were resolved at (newest first).
    private let resolvedFilters = Mutex<[(filters: SearchFilters, generation: Int64, set: CandidateSet)]>([])
    /// The count of distinct chunk contents, kept while the indexed files stay as they are.
    private let contentCount = Mutex<(generation: Int64, count: Int)?>(nil)

    /// How one search is done.
    package struct Options: Sendable {
        package var limit = 20
        /// MRL dimension for the vector scan; nil is the model's full size.
        package var dimensions: Int?
        package var instruction = InstructionPreset.notes.instruction
        /// Hits taken from each list before fusion.
        package var candidates = 100
        package var fusion = Fusion()
        /// Whether the user is still typing the last word (the screen): it then also matches as a prefix.
        package var typing = false
        /// How lexical hits are re-ranked (`qwery eval --compare` varies it).
        package var ranking = LexicalRanking()
        /// How long the lexical stage's SQL may run before it gives up.
        package var lexicalSeconds = 5.0

        package init() {}

        /// The ranking for this search: the service's (the config's priors) unless the job chose its own, and
        /// documentation after code under the code preset.
        func effectiveRanking(default configured: LexicalRanking) -> LexicalRanking {
            var ranking = ranking == LexicalRanking() ? configured : ranking
            if instruction == InstructionPreset.code.instruction { ranking.prefersCode = true }
            if instruction == InstructionPreset.docs.instruction { ranking.prefersDocumentation() }
            return ranking
        }
    }

    /// Opens search over `database`; with an embedder, semantic search uses the vectors of its model.
    package convenience init(database: AppDatabase, embedder: Embedder?, modelFolder: String?, scheduler: EngineScheduler? = nil) throws {
        let record = try embedder.flatMap { embedder in
            try modelFolder.flatMap { try database.model(forFolder: $0, dimension: embedder.model.configuration.hiddenSize) }
        }
        try self.init(database: database, embedder: embedder, model: record, scheduler: scheduler)
    }

    /// Opens search over the vectors stored for `model` (queries embedded by `embedder`, or passed in).
    package init(database: AppDatabase, embedder: Embedder?, model: ModelRecord?, scheduler: EngineScheduler? = nil,
                defaultRanking: LexicalRanking = LexicalRanking()) throws {
        self.defaultRanking = defaultRanking
        self.database = database
        self.scheduler = scheduler
        self.embedder = embedder
        self.model = model
        lexical = LexicalSearch(database: database)
        if let model {
            let index = VectorIndex(modelId: model.id ?? -1)
            try index.refresh(from: database)
            vectors = index
        } else {
            vectors = nil
        }
    }

    /// Whether semantic search can run (a model and at least one stored vector).
    package var hasSemanticSearch: Bool { embedder != nil && (vectors?.count ?? 0) > 0 }

    /// Reloads vectors added or removed since the last call (after indexing).
    /// The one way the searchable vectors follow the index: read in what the store holds that is not
    /// loaded, drop what it no longer holds. Cheap when nothing changed (one count); `everything` compares
    /// the content hashes even when the count is the same (after a run: as many vectors added as removed).
    /// Returns whether the searchable vectors changed.
    @discardableResult
    package func syncVectors(everything: Bool = false) throws -> Bool {
        guard let vectors, let modelId = model?.id else { return false }
        let before = vectors.count
        let stored = try database.vectorCount(modelId: modelId)
        guard everything || stored != before else { return false }
        try vectors.refresh(from: database)
        return everything || vectors.count != before
    }

    /// Vectors searchable now.
    package var vectorCount: Int { vectors?.count ?? 0 }

    // MARK: - Searching

    /// A query parsed, its filters resolved and its lexical hits found (or, for `similar:`, its results):
    /// the work one keystroke's lexical and semantic passes share, done once.
    package struct PreparedQuery: Sendable {
        let parsed: ParsedQuery
        let candidates: CandidateSet?
        let lexicalHits: [LexicalSearch.Hit]
        let similarResults: [SearchResult]?
        /// Semantic hits being found while the lexical stage runs (`prepare(…, semantic: true)`), nil when not asked for.
        var semanticHits: BackgroundResult<[(chunkId: Int64, score: Float)]>? = nil
    }

    /// A prepared query whose results are already known (a "more like this" job).
    package func prepared(similar results: [SearchResult]) throws -> PreparedQuery {
        PreparedQuery(parsed: ParsedQuery(text: "", filters: SearchFilters(), similarTo: nil), candidates: nil, lexicalHits: [],
                      similarResults: results)
    }

    /// Parses `query`, resolves its filters and runs its lexical search.
    package func prepare(_ query: String, options: Options, isCancelled: @escaping @Sendable () -> Bool = { false }) throws -> PreparedQuery {
        try prepare(QueryAnalysis(query), options: options, isCancelled: isCancelled)
    }

    /// Resolves a parsed query's filters and runs its lexical search; with `semantic`, the query's embedding and
    /// vector scan run meanwhile on another thread (a search that wants every stage at once: the CLI, MCP, the
    /// server's answers), so the whole search costs about the slower of the two instead of their sum.
    package func prepare(_ query: QueryAnalysis, options: Options, semantic: Bool = false,
                         isCancelled: @escaping @Sendable () -> Bool = { false }) throws -> PreparedQuery {
        let parsed = try query.parsedQuery()
        if let source = parsed.similarTo {
            return PreparedQuery(parsed: parsed, candidates: nil, lexicalHits: [],
                                 similarResults: try similar(path: source.path, line: source.line, options: options))
        }
        let candidates = try candidates(parsed.filters)
        if let candidates, parsed.text.trimmingCharacters(in: .whitespaces).isEmpty {
            let listed = try filterOnlyHits(candidates, filters: parsed.filters, limit: options.candidates)
            return PreparedQuery(parsed: parsed, candidates: candidates, lexicalHits: listed, similarResults: nil)
        }
        let text = parsed.text
        let semanticWork = semantic && hasSemanticSearch && !text.trimmingCharacters(in: .whitespaces).isEmpty
            ? BackgroundResult { [self] in
                try queryEmbedding(text, instruction: options.instruction).map { try semanticHits($0, options: options, within: candidates) } ?? []
            }
            : nil
        let budget = QueryBudget(seconds: options.lexicalSeconds, isCancelled: isCancelled)
        let hits = try lexical.search(text, limit: options.candidates, within: candidates?.chunkIds(),
                                      typing: options.typing, ranking: options.effectiveRanking(default: defaultRanking), budget: budget)
        var prepared = PreparedQuery(parsed: parsed, candidates: candidates, lexicalHits: hits, similarResults: nil)
        prepared.semanticHits = semanticWork
        return prepared
    }

    /// Lexical results only: instant, for every keystroke.
    package func lexicalSearch(_ query: String, options: Options) throws -> [SearchResult] {
        try lexicalResults(try prepare(query, options: options), options: options)
    }

    /// The lexical results of a prepared query.
    package func lexicalResults(_ prepared: PreparedQuery, options: Options) throws -> [SearchResult] {
        if let similar = prepared.similarResults { return similar }
        return Self.unscoredIfListed(try assemble(lexical: prepared.lexicalHits, semantic: [], options: options), prepared)
    }

    /// Lexical and semantic results fused; filters in the query restrict both lists before ranking.
    package func search(_ query: String, options: Options) throws -> [SearchResult] {
        try search(try prepare(query, options: options), options: options)
    }

    /// Lexical and semantic results fused for a prepared query (its lexical hits are reused).
    package func search(_ prepared: PreparedQuery, options: Options) throws -> [SearchResult] {
        if let similar = prepared.similarResults { return similar }
        if let semantic = prepared.semanticHits { return try fused(prepared, semantic: try semantic.value(), options: options) }
        let text = prepared.parsed.text
        // No stored vectors (yet): embedding the query would be wasted work.
        let embedding = text.trimmingCharacters(in: .whitespaces).isEmpty || (vectors?.count ?? 0) == 0
            ? nil : try queryEmbedding(text, instruction: options.instruction)
        return try fused(prepared, queryEmbedding: embedding, options: options)
    }

    /// Lexical and semantic results fused, with the query's embedding already at hand.
    package func search(_ query: String, queryEmbedding: [Float]?, options: Options) throws -> [SearchResult] {
        let prepared = try prepare(query, options: options)
        if let similar = prepared.similarResults { return similar }
        return try fused(prepared, queryEmbedding: queryEmbedding, options: options)
    }

    private func fused(_ prepared: PreparedQuery, queryEmbedding: [Float]?, options: Options) throws -> [SearchResult] {
        try fused(prepared, semantic: try queryEmbedding.map { try semanticHits($0, options: options, within: prepared.candidates) } ?? [],
                  options: options)
    }

    private func fused(_ prepared: PreparedQuery, semantic: [(chunkId: Int64, score: Float)], options: Options) throws -> [SearchResult] {
        var options = options
        if !semantic.isEmpty {
            options.fusion = options.fusion.weighted(for: LexicalQuery(prepared.parsed.text), semanticCoverage: try semanticCoverage())
        }
        return Self.unscoredIfListed(try assemble(lexical: prepared.lexicalHits, semantic: semantic, options: options), prepared)
    }

    /// The share of the index's distinct chunk contents that have a searchable vector (1 once indexed).
    func semanticCoverage() throws -> Double {
        let contents = try distinctContentCount()
        guard contents > 0 else { return 1 }
        return min(1, Double(vectorCount) / Double(contents))
    }

    /// Distinct chunk contents in the index. Counting them reads every chunk (100,000 on each hybrid search at that
    /// size); the count is kept while the indexed files stay as they are (their change count, one row read), for
    /// fusion's weights and for the coverage a face shows.
    package func distinctContentCount() throws -> Int {
        let generation = try database.filesGeneration()
        return try contentCount.withLock { kept in
            if let kept, kept.generation == generation { return kept.count }
            let count = try database.distinctChunkContentCount()
            kept = (generation, count)
            return count
        }
    }

    /// The chunks a query's filters allow, or nil when it has none. Resolved once per filter set while the indexed
    /// files stay as they are (their change count, one row, says so): typing `ext:md budget` letter by letter
    /// reads and matches the file list once, not per keystroke.
    func candidates(_ filters: SearchFilters) throws -> CandidateSet? {
        guard !filters.isEmpty else { return nil }
        let generation = try database.filesGeneration()
        if let known = resolvedFilters.withLock({ $0.first { $0.filters == filters && $0.generation == generation }?.set }) { return known }
        let resolved = try CandidateSet.resolve(filters, in: database)
        // Only sets decided by file: a chunk-level filter (`sym:`, a phrase) also depends on how files were chunked.
        guard resolved.isByFile else { return resolved }
        resolvedFilters.withLock { cache in
            cache.removeAll { $0.filters == filters }
            cache.insert((filters, generation, resolved), at: 0)
            if cache.count > 8 { cache.removeLast() }
        }
        return resolved
    }

    /// The query's embedding at full dimension (cached).
    package func queryEmbedding(_ query: String, instruction: String) throws -> [Float]? {
        guard let embedder else { return nil }
        let key = (model?.identity ?? "") + "\u{0}" + instruction + "\u{0}" + query
        if let cached = queryCache.withLock({ $0[key] }) { return cached }
        let embed = { try embedder.embedQueries([query], instruction: instruction)[0] }
        let vector = try scheduler.map { try $0.interactive(embed) } ?? embed()
        queryCache.withLock { cache in
            if cache.count > 4096 { cache.removeAll() }
            cache[key] = vector
        }
        return vector
    }

    /// Semantic hits for a query embedding: chunk ids with cosine similarity, best first.
    func semanticHits(_ embedding: [Float], options: Options, within candidates: CandidateSet? = nil) throws -> [(chunkId: Int64, score: Float)] {
        guard let vectors, vectors.count > 0 else { return [] }
        if let candidates, candidates.isByFile, candidates.fileShare >= 1.0 / 8,
           let hits = try overFetchedHits(embedding, options: options, vectors: vectors, files: candidates) {
            return hits
        }
        let within = try candidates?.contentHashes()
        let top = vectors.search(embedding, dimensions: options.dimensions, limit: options.candidates, within: within)
        let allowed = try candidates?.chunkIds()
        guard !top.isEmpty else { return [] }
        let scoreByHash = Dictionary(top.map { ($0.hash, $0.score) }, uniquingKeysWith: { first, _ in first })
        return try database.chunkIds(contentHashes: top.map(\.hash)).compactMap { chunk -> (Int64, Float)? in
            // A content shared by a file outside the filters is not a hit of that file.
            if let allowed, !allowed.contains(chunk.id) { return nil }
            return scoreByHash[chunk.contentHash].map { (chunk.id, $0) }
        }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
    }

    /// A filter on files that keeps much of the index (`ext:md`: half of it): the best vectors of the whole matrix,
    /// fetched about twice as deep as the share kept needs, then kept by their chunks' files — no list of every kept
    /// chunk's hash is built (that cost 3× the query at 100,000 chunks). Exact: every kept vector scoring above the
    /// deepest one fetched is among those fetched, so when at least `options.candidates` of them are kept they are the
    /// best kept ones. Nil when too few are (the caller then restricts the scan itself).
    private func overFetchedHits(_ embedding: [Float], options: Options, vectors: VectorIndex,
                                 files: CandidateSet) throws -> [(chunkId: Int64, score: Float)]? {
        let depth = min(vectors.count, Int(Double(options.candidates) / files.fileShare * 2) + 16)
        let top = vectors.search(embedding, dimensions: options.dimensions, limit: depth)
        let scoreByHash = Dictionary(top.map { ($0.hash, $0.score) }, uniquingKeysWith: { first, _ in first })
        let kept = try database.chunkFiles(contentHashes: top.map(\.hash)).filter { files.fileIds.contains($0.fileId) }
        guard Set(kept.map(\.contentHash)).count >= min(options.candidates, scoreByHash.count) || depth == vectors.count else { return nil }
        var seen = Set<Data>()
        var hits: [(chunkId: Int64, score: Float)] = []
        for chunk in kept.sorted(by: { (scoreByHash[$0.contentHash] ?? 0, $1.id) > (scoreByHash[$1.contentHash] ?? 0, $0.id) }) {
            // The best `candidates` contents, every chunk of each (as the restricted scan returns them).
            if !seen.contains(chunk.contentHash) {
                guard seen.count < options.candidates else { break }
                seen.insert(chunk.contentHash)
            }
            if let score = scoreByHash[chunk.contentHash] { hits.append((chunk.id, score)) }
        }
        return hits.sorted { $0.score != $1.score ? $0.score > $1.score : $0.chunkId < $1.chunkId }
    }

    func assemble(lexical: [LexicalSearch.Hit], semantic: [(chunkId: Int64, score: Float)], options: Options) throws -> [SearchResult] {
        let fusion = options.fusion
        let fused = fusion.fuse([semantic.map(\.chunkId), lexical.map(\.chunkId)],
                                weights: [semantic.isEmpty ? 0 : fusion.semanticWeight, lexical.isEmpty ? 0 : fusion.lexicalWeight])
        guard !fused.isEmpty else { return [] }
        let details = try chunkDetails(fused.map(\.chunkId))
        var lexicalInfo: [Int64: (Int, Double)] = [:]
        for (index, hit) in lexical.enumerated() where lexicalInfo[hit.chunkId] == nil { lexicalInfo[hit.chunkId] = (index + 1, hit.score) }
        var semanticInfo: [Int64: (Int, Float)] = [:]
        for (index, hit) in semantic.enumerated() where semanticInfo[hit.chunkId] == nil { semanticInfo[hit.chunkId] = (index + 1, hit.score) }
        var results: [SearchResult] = fused.compactMap { entry in
            guard var result = details[entry.chunkId] else { return nil }
            result.fusedScore = entry.score
            result.lexicalRank = lexicalInfo[entry.chunkId]?.0
            result.lexicalScore = lexicalInfo[entry.chunkId]?.1
            result.vectorRank = semanticInfo[entry.chunkId]?.0
            result.vectorScore = semanticInfo[entry.chunkId]?.1
            return result
        }
        results = Self.collapsingIdentical(results)
        results = options.fusion.grouped(results, path: \.path)
        results = Array(results.prefix(options.limit))
        for index in results.indices { results[index].fusedRank = index + 1 }
        return results
    }

    /// Identical chunks in several files (a changelog copied into three packages) as one result, at the best
    /// one's place, naming the others.
    static func collapsingIdentical(_ results: [SearchResult]) -> [SearchResult] {
        var firstIndex: [Data: Int] = [:]
        var collapsed: [SearchResult] = []
        for result in results {
            if let index = firstIndex[result.contentHash], collapsed[index].text == result.text, collapsed[index].path != result.path {
                if !collapsed[index].identicalPaths.contains(result.path) { collapsed[index].identicalPaths.append(result.path) }
                continue
            }
            if firstIndex[result.contentHash] == nil { firstIndex[result.contentHash] = collapsed.count }
            collapsed.append(result)
        }
        return collapsed
    }

    private func chunkDetails(_ ids: [Int64]) throws -> [Int64: SearchResult] {
        try database.chunks(ids: ids).mapValues { SearchResult(chunk: $0.chunk, path: $0.path) }
    }
}
