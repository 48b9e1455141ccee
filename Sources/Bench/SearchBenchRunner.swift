import Engine
import Foundation
import Search
import Store

/// `qwery bench --search`: search latency over synthetic indexes of 10k and 100k chunks.
///
/// Each index holds chunks of ~80 words drawn (Zipf-like) from a made-up vocabulary, in files of ten
/// chunks, with a random unit vector of `dimension` values per chunk. Queries are two vocabulary
/// words plus a random query vector, so the figures cover the whole search path except embedding
/// the query (measured by the engine bench): FTS5 BM25, the exact vector scan, fusion and fetching
/// the results' text.
package struct SearchBenchRunner {
    package let chunkCounts: [Int]
    package let dimension: Int
    package let queries: Int

    package init(chunkCounts: [Int], dimension: Int, queries: Int) {
        self.chunkCounts = chunkCounts
        self.dimension = dimension
        self.queries = queries
    }

    package func run() throws -> [BenchRunner.Figure] {
        var figures: [BenchRunner.Figure] = []
        for count in chunkCounts {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("qwery-search-bench-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: folder) }
            FileHandle.standardError.write(Data("qwery bench: building a \(count)-chunk index…\n".utf8))
            var generator = SplitMix64(seed: UInt64(count))
            let buildStart = Date()
            let (database, model) = try Self.buildIndex(at: folder + "/index.sqlite", chunks: count, dimension: dimension, generator: &generator)
            figures.append(BenchRunner.Figure(name: "index \(count) chunks (write + FTS)", unit: "s",
                                              values: [("", Date().timeIntervalSince(buildStart))]))
            let loadStart = Date()
            let service = try SearchService(database: database, embedder: nil, model: model)
            figures.append(BenchRunner.Figure(name: "load \(count) vectors into memory", unit: "ms",
                                              values: [("", Date().timeIntervalSince(loadStart) * 1000)]))
            guard let vectors = service.vectors else { continue }
            let probes = (0..<queries).map { _ in
                (Self.words(2, generator: &generator), Self.unitVector(dimension, generator: &generator))
            }
            for dimensions in [dimension, 256] where dimensions <= dimension {
                _ = vectors.search(probes[0].1, dimensions: dimensions, limit: 100) // prefix norms for this d
                let scan = Self.time(probes) { _ = vectors.search($0.1, dimensions: dimensions, limit: 100) }
                figures.append(BenchRunner.Figure(name: "vector scan \(count) x \(dimensions) dims, top 100", unit: "ms",
                                                  values: [("p50", scan.p50), ("p95", scan.p95)]))
            }
            // Each query plain and with a filter (half the files are .md, a path glob keeps a tenth, `lang:` names the
            // .md files again, `sym:` keeps the symbols starting with the query's first word): a filter should cost what
            // the query costs (issue 31.5).
            let filters: [(label: String, filter: (String) -> String)] = [
                ("", { _ in "" }), (" ext:md", { _ in " ext:md" }), (" path:notes/file1*", { _ in " path:notes/file1*" }),
                (" lang:markdown", { _ in " lang:markdown" }), (" sym:WORD*", { " sym:" + ($0.split(separator: " ").first.map(String.init) ?? "") + "*" }),
            ]
            for (label, filter) in filters {
                let lexical = try Self.time(probes) { _ = try service.lexicalSearch($0.0 + filter($0.0), options: .init()) }
                figures.append(BenchRunner.Figure(name: "lexical search \(count) chunks\(label)", unit: "ms",
                                                  values: [("p50", lexical.p50), ("p95", lexical.p95)]))
            }
            var typing = SearchService.Options()
            typing.typing = true
            let keystroke = try Self.time(probes) { _ = try service.lexicalSearch("ext:md " + String($0.0.prefix(1)), options: typing) }
            figures.append(BenchRunner.Figure(name: "lexical search \(count) chunks, typed ext:md + one letter", unit: "ms",
                                              values: [("p50", keystroke.p50), ("p95", keystroke.p95)]))
            for (label, filter) in [("", ""), (" ext:md", " ext:md")] {
                let hybrid = try Self.time(probes) { _ = try service.search($0.0 + filter, queryEmbedding: $0.1, options: .init()) }
                figures.append(BenchRunner.Figure(name: "hybrid search \(count) chunks\(label) (no rerank)", unit: "ms",
                                                  values: [("p50", hybrid.p50), ("p95", hybrid.p95)]))
            }
        }
        return figures
    }

    // MARK: - Synthetic index

    /// A synthetic index of `chunks` chunks at `path` whose vectors are stored for the checkpoint in `modelFolder`
    /// (so `qwery search --model FOLDER` searches them with that model), for the warm-path bench. Its files do not
    /// exist on disk: it is searched, never re-indexed. Returns a few queries drawn from the same vocabulary.
    package static func writeIndex(at path: String, chunks: Int, modelFolder: String, dimension: Int) throws -> [String] {
        var generator = SplitMix64(seed: UInt64(chunks))
        let database = try AppDatabase(path: path)
        _ = try buildIndex(database, chunks: chunks, dimension: dimension, generator: &generator,
                           model: try database.model(forFolder: modelFolder, dimension: dimension))
        return (0..<40).map { _ in words(2, generator: &generator) }
    }

    static func buildIndex(at path: String, chunks: Int, dimension: Int, generator: inout SplitMix64) throws
        -> (AppDatabase, ModelRecord)
    {
        let database = try AppDatabase(path: path)
        return try buildIndex(database, chunks: chunks, dimension: dimension, generator: &generator,
                              model: try database.registerModel(identity: "bench-random-\(dimension)", name: "bench", dimension: dimension))
    }

    static func buildIndex(_ database: AppDatabase, chunks: Int, dimension: Int, generator: inout SplitMix64, model: ModelRecord?) throws
        -> (AppDatabase, ModelRecord)
    {
        guard let model else { throw BenchError.modelNotRegistered(database.path) }
        let root = try database.addRoot(path: "/bench")
        let perFile = 10
        var vectors: [(contentHash: Data, embedding: [Float])] = []
        for fileIndex in 0..<(chunks + perFile - 1) / perFile {
            var drafts: [ChunkRow] = []
            for ordinal in 0..<min(perFile, chunks - fileIndex * perFile) {
                let text = words(80, generator: &generator)
                var hash = Data(count: 32)
                hash.withUnsafeMutableBytes { bytes in
                    for index in 0..<4 { bytes.storeBytes(of: generator.next(), toByteOffset: index * 8, as: UInt64.self) }
                }
                // Every fourth chunk defines a symbol named after its first two words (`bork_lousterkstat`), for `sym:`.
                let symbol = ordinal % 4 == 0 ? text.split(separator: " ").prefix(2).joined(separator: "_") : nil
                drafts.append(ChunkRow(startLine: ordinal * 10 + 1, endLine: ordinal * 10 + 10, startByte: 0, endByte: text.utf8.count,
                                         context: "", text: text, contentHash: hash, tokenCount: 100, symbol: symbol))
                vectors.append((hash, unitVector(dimension, generator: &generator)))
            }
            let file = FileRecord(id: nil, rootId: root.id ?? 0, path: "/bench/notes/file\(fileIndex)." + (fileIndex % 2 == 0 ? "md" : "txt"), size: 4000,
                                  modifiedAt: 0, contentHash: nil, status: .indexed, skipReason: nil, indexedAt: Date())
            _ = try database.saveIndexedFile(file, chunks: drafts)
            if vectors.count >= 5000 {
                try database.saveVectors(vectors, modelId: model.id ?? 0)
                vectors.removeAll(keepingCapacity: true)
            }
        }
        try database.saveVectors(vectors, modelId: model.id ?? 0)
        return (database, model)
    }

    /// A made-up vocabulary of 4,000 pronounceable words; word k is drawn with weight 1/(k+10).
    static let vocabulary: [String] = {
        let onsets = ["b", "c", "d", "f", "g", "l", "m", "n", "p", "r", "s", "t", "v", "st", "tr", "pl"]
        let vowels = ["a", "e", "i", "o", "u", "ai", "ea", "ou"]
        let codas = ["", "n", "r", "s", "l", "t", "nd", "rk"]
        var words: [String] = []
        var generator = SplitMix64(seed: 7)
        while words.count < 4000 {
            let syllables = Int(generator.next() % 3) + 1
            words.append((0..<syllables).map { _ in
                onsets[Int(generator.next() % 16)] + vowels[Int(generator.next() % 8)] + codas[Int(generator.next() % 8)]
            }.joined())
        }
        return words
    }()

    private static let cumulativeWeights: [Double] = {
        var total = 0.0
        return (0..<vocabulary.count).map { index in
            total += 1 / Double(index + 10)
            return total
        }
    }()

    static func words(_ count: Int, generator: inout SplitMix64) -> String {
        let total = cumulativeWeights[cumulativeWeights.count - 1]
        return (0..<count).map { _ in
            let target = Double(generator.next() % 1_000_000) / 1_000_000 * total
            var low = 0, high = cumulativeWeights.count - 1
            while low < high {
                let middle = (low + high) / 2
                if cumulativeWeights[middle] < target { low = middle + 1 } else { high = middle }
            }
            return vocabulary[low]
        }.joined(separator: " ")
    }

    static func unitVector(_ dimension: Int, generator: inout SplitMix64) -> [Float] {
        var vector = (0..<dimension).map { _ in Float(Double(generator.next() % 2_000_001) / 1_000_000 - 1) }
        let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        for index in vector.indices { vector[index] /= norm }
        return vector
    }

    /// Each probe's run timed: p50 and p95 in milliseconds (the warm-path bench times whole processes with it too).
    package static func time<Probe>(_ probes: [Probe], _ body: (Probe) throws -> Void) rethrows -> (p50: Double, p95: Double) {
        var milliseconds: [Double] = []
        for probe in probes {
            let start = DispatchTime.now().uptimeNanoseconds
            try body(probe)
            milliseconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        milliseconds.sort()
        return (milliseconds[milliseconds.count / 2], milliseconds[min(milliseconds.count - 1, milliseconds.count * 95 / 100)])
    }
}
