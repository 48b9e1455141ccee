import Bench
import Foundation
import QweryCore

/// `qwery bench --warm`: whole-process `qwery search --no-rerank` (this very executable, started and waited for)
/// against a synthetic index of each size, through a query server running in this process — as `qwery watch`
/// runs it, the bench checkpoint loaded once — and in-process (`--no-daemon`: the model and every vector loaded by
/// each search). The same query again (its embedding cached there) and a new query each time.
struct WarmPathBench {
    let modelFolder: String
    let chunkCounts: [Int]
    let repeats: Int

    func run(announce: (String) -> Void) throws -> BenchRunner.Report {
        var report = BenchRunner.Report()
        report.machine = BenchRunner.machineDescription()
        for count in chunkCounts {
            let folder = NSTemporaryDirectory() + "qwery-warm-bench-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let index = folder + "/index.sqlite"
            announce("building a \(count)-chunk index with vectors for \(modelFolder)…")
            let hiddenSize = ModelLocator.hiddenSize(of: modelFolder) ?? 1024
            let queries = try SearchBenchRunner.writeIndex(at: index, chunks: count, modelFolder: modelFolder, dimension: hiddenSize)
            let settings = try Settings.resolve(.init(index: index, model: modelFolder), environment: ProcessInfo.processInfo.environment,
                                                config: ConfigFile(), discover: { _ in nil })
            let library = try Library(settings: settings)
            // At the index's own address, as `qwery watch` serves it: each `qwery search` finds it from the index path.
            let server = try QueryServer(library: library)
            try library.loadModels()
            server.start()
            defer { server.stop() }
            let base = ["search", "--db", index, "--model", modelFolder, "--no-rerank", "--json", "--limit", "10"]
            try search(base + [queries[0]])  // the first search embeds and warms caches
            let same = try SearchBenchRunner.time(Array(repeating: queries[0], count: max(5, repeats * 5))) { try search(base + [$0]) }
            let fresh = try SearchBenchRunner.time(Array(queries.dropFirst().prefix(max(5, repeats * 5)))) { try search(base + [$0]) }
            let cold = try SearchBenchRunner.time(Array(queries.suffix(max(3, repeats)))) { try search(base + [$0, "--no-daemon"]) }
            for (name, timed) in [("the same query again, through the server", same), ("a new query each time, through the server", fresh),
                                  ("in-process (--no-daemon): model and vectors loaded", cold)] {
                report.figures.append(BenchRunner.Figure(name: "qwery search --no-rerank, \(count) chunks, \(name)", unit: "ms",
                                                         values: [("p50", timed.p50), ("p95", timed.p95)]))
            }
        }
        return report
    }

    /// Runs this executable with `arguments` to its exit; it must exit 0 or 1 (found, nothing found).
    private func search(_ arguments: [String]) throws {
        let status: Int32
        switch TerminalCommand.runQuietly([ExecutablePath.current] + arguments) {
        case .success(let ended): status = ended
        case .failure(let failure): throw WarmPathBenchError(description: failure.description)
        }
        guard status >> 8 <= 1, status & 0x7F == 0 else {
            throw WarmPathBenchError(description: "qwery \(arguments.joined(separator: " ")) exited with status \(status)")
        }
    }
}

struct WarmPathBenchError: Error, CustomStringConvertible {
    let description: String
}
