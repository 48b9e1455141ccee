import Engine
import Foundation
import Search
import Tokenizers

/// Runs the measurements of `qwery bench` and formats them.
package struct BenchRunner {
    package let folder: String
    package let repeats: Int
    package let precision: Precision
    package var rerankPrecision: Precision?
    /// How exact holds 16-bit weights (`--exact-weights`).
    package var conversion: WeightConversion = .automatic
    /// Only what liveness needs: 64 × 256 documents, query latency and the rerank pass idle, then the
    /// "while indexing" section (skips 16 × 2,048 documents and the tokenizer).
    package var whileIndexingOnly = false

    package init(folder: String, repeats: Int, precision: Precision, rerankPrecision: Precision?) {
        self.folder = folder
        self.repeats = repeats
        self.precision = precision
        self.rerankPrecision = rerankPrecision
    }

    /// One measured figure: its name, unit, and the min/median (or p50/p95) values.
    package struct Figure {
        package let name: String
        package let unit: String
        package let values: [(String, Double)]

        package init(name: String, unit: String, values: [(String, Double)]) {
            self.name = name
            self.unit = unit
            self.values = values
        }
    }

    package struct Report {
        package var figures: [Figure] = []
        package var machine: String = ""

        package init() {}

        package var table: String {
            var lines = ["machine: \(machine)"]
            for figure in figures {
                let values = figure.values.map { String(format: "%@ %.1f", $0.0, $0.1) }.joined(separator: "  ")
                lines.append(String(format: "%-44@ %@ %@", figure.name, values, figure.unit))
            }
            return lines.joined(separator: "\n")
        }

        package var json: String {
            let entries = figures.map { figure in
                let values = figure.values.map { "\"\($0.0)\": \(String(format: "%.3f", $0.1))" }.joined(separator: ", ")
                return "\"\(figure.name)\": {\"unit\": \"\(figure.unit)\", \(values)}"
            }
            return "{\"machine\": \"\(machine)\", " + entries.joined(separator: ", ") + "}"
        }
    }

    package func run() throws -> Report {
        var report = Report()
        report.machine = Self.machineDescription() + ", BLAS core \(BLASCore.status.core), precision \(precision.rawValue)"
            + (precision == .exact && conversion == .atLoad ? " (weights widened to fp32 at load)" : "")
            + (rerankPrecision.map { $0 != precision ? ", reranker \($0.rawValue)" : "" } ?? "")
        let loadStart = Date()
        let embedder = try Embedder(folder: folder, precision: precision, conversion: conversion)
        let loadSeconds = Date().timeIntervalSince(loadStart)
        report.figures.append(Figure(name: "model load", unit: "s", values: [("", loadSeconds)]))

        for (count, length) in whileIndexingOnly ? [(64, 256)] : [(64, 256), (16, 2048)] {
            let batch = Self.documents(count: count, length: length)
            var rates: [Double] = []
            for _ in 0..<repeats {
                let start = Date()
                for slice in stride(from: 0, to: batch.count, by: 16) {
                    _ = try embedder.embed(ids: Array(batch[slice..<min(slice + 16, batch.count)]))
                }
                rates.append(Double(count * length) / Date().timeIntervalSince(start))
            }
            report.figures.append(Figure(name: "documents \(count) x \(length) tokens", unit: "tokens/s",
                                         values: [("min", rates.min() ?? 0), ("median", Self.median(rates))]))
        }

        var latencies: [Double] = []
        let query = Self.documents(count: 1, length: 16)
        _ = try embedder.embed(ids: query)
        for _ in 0..<max(10, repeats * 5) {
            let start = Date()
            _ = try embedder.embed(ids: query)
            latencies.append(Date().timeIntervalSince(start) * 1000)
        }
        latencies.sort()
        report.figures.append(Figure(name: "query latency (16 tokens)", unit: "ms",
                                     values: [("p50", Self.percentile(latencies, 0.5)), ("p95", Self.percentile(latencies, 0.95))]))

        // The reranker is a second model in memory, as in the app (here of the same shape).
        let rerankerLoadStart = Date()
        let reranker = try Reranker(folder: folder, precision: rerankPrecision ?? precision, conversion: conversion)
        report.figures.append(Figure(name: "reranker load", unit: "s", values: [("", Date().timeIntervalSince(rerankerLoadStart))]))
        let paragraph = Self.tokenizerCorpus()[0] + " "
        let documentIds = Array(embedder.tokenizer.encode(String(repeating: paragraph, count: 8)).prefix(256))
        let document = embedder.tokenizer.decode(documentIds)
        let candidates = (0..<10).map { SearchResult(chunkId: Int64($0), path: "bench", startLine: 1, endLine: 1, context: "",
                                                      text: document + " \($0)", contentHash: Data([UInt8($0)])) }
        var firstTimes: [Double] = []
        var lastTimes: [Double] = []
        for repeat_ in 0..<repeats {
            let pass = RerankPass(reranker: reranker, modelIdentity: "bench")
            let start = Date()
            var first: Double?
            try pass.run(query: "how do I search my notes by meaning? \(repeat_)", instruction: Reranker.defaultInstruction,
                         candidates: candidates) { _, _ in
                if first == nil { first = Date().timeIntervalSince(start) }
            }
            firstTimes.append(first ?? 0)
            lastTimes.append(Date().timeIntervalSince(start))
        }
        report.figures.append(Figure(name: "rerank 10 x 256 tokens: first score", unit: "s",
                                     values: [("min", firstTimes.min() ?? 0), ("median", Self.median(firstTimes))]))
        report.figures.append(Figure(name: "rerank 10 x 256 tokens: all scores", unit: "s",
                                     values: [("min", lastTimes.min() ?? 0), ("median", Self.median(lastTimes))]))
        try measureWhileIndexing(embedder: embedder, reranker: reranker, candidates: candidates, into: &report)
        if whileIndexingOnly { return report }

        let corpus = Self.tokenizerCorpus()
        var throughputs: [Double] = []
        for _ in 0..<repeats {
            let start = Date()
            var total = 0
            for text in corpus { total += embedder.tokenizer.encode(text).count }
            precondition(total > 0)
            throughputs.append(Double(corpus.reduce(0) { $0 + $1.utf8.count }) / 1e6 / Date().timeIntervalSince(start))
        }
        report.figures.append(Figure(name: "tokenizer (in process, 1 thread)", unit: "MB/s",
                                     values: [("min", throughputs.min() ?? 0), ("median", Self.median(throughputs))]))
        report.figures.append(Figure(name: "peak resident memory", unit: "MB", values: [("", Self.peakResidentMegabytes())]))
        return report
    }

    // MARK: - Inputs

    /// `count` inputs of exactly `length` tokens: ordinary-text ids, ending in <|endoftext|>.
    static func documents(count: Int, length: Int) -> [[Int]] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in
            (0..<(length - 1)).map { _ in Int.random(in: 200..<100_000, using: &generator) } + [151_643]
        }
    }

    static func tokenizerCorpus() -> [String] {
        let paragraph = """
        Meeting notes: we agreed to ship the search feature before the offsite. Zażółć gęślą jaźń — 東京の天気は晴れです。
        func embed(_ text: String) -> [Float] { model.forward(tokenizer.encode(text)) } // 42 tokens/s 👍🏽
        """
        return Array(repeating: paragraph, count: 20_000)
    }

    // MARK: - Statistics and machine facts

    static func median(_ values: [Double]) -> Double {
        percentile(values.sorted(), 0.5)
    }

    static func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let index = min(sorted.count - 1, Int((Double(sorted.count - 1) * fraction).rounded()))
        return sorted[index]
    }

    static func peakResidentMegabytes() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kilobytes = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
            return kilobytes / 1024
        }
        return 0
    }

    package static func machineDescription() -> String {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }?
            .split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "unknown CPU"
        let flags = cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") } ?? ""
        let features = ["avx2", "fma", "avx_vnni", "avx512f", "avx512_bf16", "avx512_vnni"].filter { flags.contains(" \($0)") }
        return "\(model), \(ProcessInfo.processInfo.activeProcessorCount) cores, \(features.joined(separator: " "))"
    }
}
