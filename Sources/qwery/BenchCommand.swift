import ArgumentParser
import Bench
import Foundation
import QweryCore

/// `qwery bench`: engine speed on a random-weight model of a published Qwen3-Embedding shape.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure embedding throughput, query latency, a rerank pass, memory and tokenizer speed.",
        discussion: """
        The first run writes a random-weight checkpoint of the chosen shape (bf16 safetensors, Hugging Face
        layout) to the cache folder; compute does not depend on the weight values.
        """
    )

    @Option(name: .long, help: "Model shape: 0.6B, 4B or 8B.")
    var shape: String = "0.6B"

    @Option(name: .long, help: "Where the random checkpoint lives (default: $XDG_CACHE_HOME/qwery/bench/<shape>-random).")
    var modelFolder: String?

    @Option(name: .long, help: "tokenizer.json for the checkpoint (default: the repository's Qwen3 fixture).")
    var tokenizer: String?

    @Option(name: .long, help: "Repeats of each throughput measurement.")
    var repeats: Int = 3

    @Flag(name: .long, help: "Print one JSON object instead of a table.")
    var json = false

    @Flag(name: .long, help: "Only create the checkpoint, then stop.")
    var createOnly = false

    @Flag(name: .long, help: "Measure re-indexing and search latency on synthetic trees and indexes instead of the engine.")
    var search = false

    @Flag(name: .long, help: "Measure whole-process qwery search through a running server and in-process, on synthetic indexes of --chunks (the bench checkpoint as model).")
    var warm = false

    @Option(name: .long, help: "With --search: chunk counts of the synthetic indexes, comma-separated.")
    var chunks = "10000,100000"

    @Option(name: .long, help: "With --search: vector dimension of the synthetic index.")
    var dimension = 1024

    @Flag(name: .customLong("while-indexing"), help: "Only the liveness figures: query and rerank latency idle and while a background indexer embeds.")
    var whileIndexing = false

    @Option(name: .long, help: "Measure document extraction (pages/s, files/s per format) over the PDF, DOCX, ODT, EPUB, HTML and notebook files in this folder.")
    var documents: String?

    @Option(name: .long, help: "Measure code chunking per language (tree-sitter against the indentation chunker) over the source files under this folder.")
    var code: String?

    @Flag(name: .long, help: "Only the multiply-accumulate peaks of one core: fp32 FMA against the AVX2 int8 sequences.")
    var peaks = false

    @Option(name: .customLong("exact-weights"), help: "With exact: stored (bf16 weights widened tile by tile, the default) or fp32 (widened at load, twice the memory).")
    var exactWeights: ExactWeights = .stored

    enum ExactWeights: String, ExpressibleByArgument, CaseIterable {
        case stored, fp32
    }

    @OptionGroup var engine: EngineOptions

    func validate() throws {
        try OptionBounds.check("--repeats", repeats, in: OptionBounds.repeats)
    }

    func run() throws {
        if search { return try runSearch() }
        if warm { return try runWarm() }
        if let documents { return runDocuments(documents) }
        if let code { return runCode(code) }
        if peaks { return try runPeaks() }
        var bench = ModelBench(shape: shape)
        bench.folder = modelFolder
        let announce: @Sendable (String) -> Void = { FileHandle.standardError.write(Data("qwery bench: \($0)\n".utf8)) }
        let folder = try bench.checkpoint(tokenizer: { try tokenizer ?? ModelOptions.bundledTokenizerHint() }, announce: announce)
        if createOnly {
            print(folder)
            return
        }
        let settings = try CommandLineSettings.resolve(engine: engine)
        // Unless chosen, precision is measured for this CPU and the bench model, as for a real one; the
        // figures behind the choice are printed first.
        bench.precision = settings.measuresPrecision ? nil : settings.precision.value
        bench.rerankPrecision = settings.rerankPrecision.value
        bench.rerankPrecisionChosen = !settings.measuresRerankPrecision
        bench.repeats = repeats
        bench.whileIndexingOnly = whileIndexing
        bench.fp32Weights = exactWeights == .fp32
        let report = try bench.run(folder: folder, announce: announce, chose: { print($0) })
        print(json ? report.json : report.table)
    }
}

extension BenchCommand {
    /// `--warm`: the warm path against cold starts, whole process, at each `--chunks` size.
    func runWarm() throws {
        let counts = chunks.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !counts.isEmpty, counts.allSatisfy({ $0 > 0 }) else { throw ValidationError("--chunks takes positive counts like 10000,100000.") }
        var bench = ModelBench(shape: shape)
        bench.folder = modelFolder
        let announce: @Sendable (String) -> Void = { FileHandle.standardError.write(Data("qwery bench: \($0)\n".utf8)) }
        let folder = try bench.checkpoint(tokenizer: { try tokenizer ?? ModelOptions.bundledTokenizerHint() }, announce: announce)
        let report = try WarmPathBench(modelFolder: folder, chunkCounts: counts, repeats: max(1, repeats)).run(announce: announce)
        print(json ? report.json : report.table)
    }

    func runSearch() throws {
        let counts = chunks.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !counts.isEmpty, counts.allSatisfy({ $0 > 0 }), (32...8192).contains(dimension) else {
            throw ValidationError("--chunks takes positive counts like 10000,100000 and --dimension 32…8192.")
        }
        var report = BenchRunner.Report()
        report.machine = BenchRunner.machineDescription()
        let tokenizer = try TokenizerLocation.load(tokenizer ?? ModelOptions.bundledTokenizerHint())
        report.figures = try IndexBenchRunner(files: 10_000, repeats: max(1, repeats), tokenizer: tokenizer).run()
        report.figures += try SearchBenchRunner(chunkCounts: counts, dimension: dimension, queries: max(20, repeats * 20)).run()
        print(json ? report.json : report.table)
    }
}

extension BenchCommand {
    /// Chunking speed per language, with the grammar and with the indentation chunker.
    private func runCode(_ folder: String) {
        let figures = CodeBenchRunner(folder: folder).run()
        if json {
            print(Records.encode(figures, explicitNulls: false))
            return
        }
        print("cpu: \(BenchRunner.machineDescription())")
        print("language    files      MB  chunks  tree-sitter s  files/s   MB/s  via worker s  indentation s")
        for row in figures {
            print(String(format: "%@ %6d %7.2f %7d %14.2f %8.0f %6.2f %13.2f %14.2f", row.language.padding(toLength: 10, withPad: " ", startingAt: 0),
                         row.files, row.megabytes, row.chunks, row.syntaxSeconds, row.filesPerSecond, row.megabytesPerSecond,
                         row.workerSeconds ?? .nan, row.fallbackSeconds))
        }
    }

    /// Extraction speed per format, through the worker as indexing runs it.
    private func runDocuments(_ folder: String) {
        let figures = DocumentBenchRunner(folder: folder).run { note in
            FileHandle.standardError.write(Data("qwery bench: \(note)\n".utf8))
        }
        if json {
            print(Records.encode(figures, explicitNulls: false))
            return
        }
        print("cpu: \(BenchRunner.machineDescription())")
        print("format                 files  pages     MB  text MB  worker s  in-process s  files/s  pages/s")
        for row in figures {
            print(String(format: "%@ %6d %6d %7.1f %8.1f %9.2f %13.2f %8.1f %8.1f", row.format.padding(toLength: 21, withPad: " ", startingAt: 0),
                         row.files, row.pages, row.megabytes, row.textMegabytes, row.workerSeconds, row.inProcessSeconds,
                         row.filesPerSecond, row.pagesPerSecond))
        }
    }

    /// What this CPU's instructions allow a kernel at best: int8 on AVX2 (no VNNI) is as fast as fp32 FMA,
    /// which is why int8 there runs at exact's speed rather than twice it.
    func runPeaks() throws {
        guard let report = PeaksRunner.run() else {
            throw ValidationError("--peaks measures AVX2 instructions; this CPU has no AVX2/FMA.")
        }
        print(json ? report.json : report.table)
    }
}
