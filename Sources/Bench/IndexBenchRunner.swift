import Foundation
import Indexing
import Store
import Tokenizers

/// The index part of `qwery bench --search`: re-running `index` over a tree of small notes when
/// nothing changed (a stat scan) and when one file changed. Lexical only: embedding speed is the
/// engine bench's business.
package struct IndexBenchRunner {
    package let files: Int
    package let repeats: Int
    package let tokenizer: Tokenizer

    package init(files: Int, repeats: Int, tokenizer: Tokenizer) {
        self.files = files
        self.repeats = repeats
        self.tokenizer = tokenizer
    }

    package func run() throws -> [BenchRunner.Figure] {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("qwery-index-bench-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: base) }
        let tree = base + "/notes"
        FileHandle.standardError.write(Data("qwery bench: writing \(files) notes…\n".utf8))
        for index in 0..<files {
            let folder = tree + "/folder\(index / 100)"
            if index % 100 == 0 { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            try "# Note \(index)\n\nA short note about topic \(index % 37), written on day \(index % 365).\n"
                .write(toFile: folder + "/note\(index).md", atomically: false, encoding: .utf8)
        }
        let database = try AppDatabase(path: base + "/index.sqlite")
        let indexer = try Indexer(database: database, tokenizer: tokenizer, embedder: nil, modelFolder: nil, walker: Walker(options: .init()))
        let firstStart = Date()
        _ = try indexer.run(roots: [tree])
        let first = Date().timeIntervalSince(firstStart)

        var unchanged: [Double] = []
        var oneEdited: [Double] = []
        for repeat_ in 0..<repeats {
            var start = Date()
            let summary = try indexer.run(roots: [tree])
            unchanged.append(Date().timeIntervalSince(start))
            precondition(summary.filesIndexed == 0, "an unchanged tree re-indexed files")
            try "# Note 0\n\nEdited \(repeat_).\n".write(toFile: tree + "/folder0/note0.md", atomically: true, encoding: .utf8)
            start = Date()
            _ = try indexer.run(roots: [tree])
            oneEdited.append(Date().timeIntervalSince(start))
        }
        return [
            BenchRunner.Figure(name: "index \(files) new notes (lexical)", unit: "s", values: [("", first)]),
            BenchRunner.Figure(name: "re-index \(files) unchanged notes", unit: "ms",
                               values: [("min", (unchanged.min() ?? 0) * 1000), ("median", BenchRunner.median(unchanged) * 1000)]),
            BenchRunner.Figure(name: "re-index with one note edited", unit: "ms",
                               values: [("min", (oneEdited.min() ?? 0) * 1000), ("median", BenchRunner.median(oneEdited) * 1000)]),
        ]
    }
}
