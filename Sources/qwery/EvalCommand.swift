import ArgumentParser
import Evaluation
import Foundation
import QweryCore

/// `qwery eval FOLDER`: how well search finds what labelled queries ask for, in several configurations
/// side by side (see README: Measuring retrieval).
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure retrieval on labelled queries: nDCG@10, recall@10/@100, MRR@10 per configuration."
    )

    @Argument(help: "The folder to search (its files are indexed), or a BEIR dataset folder (corpus.jsonl, queries.jsonl, qrels/test.tsv).")
    var folder: String

    @Option(name: .long, help: "The labelled queries (JSON lines: id, query, relevant, category); default FOLDER/queries.jsonl.")
    var queries: String?

    @Option(name: .long, help: "Configurations, comma-separated: lexical, bm25, semantic, hybrid, rerank, lexical-no-{variants,coverage,definitions,priors,files,columns}, each with +PRESET and @DIMENSIONS (default: lexical, and hybrid and rerank when the models are there).")
    var compare: String?

    @Option(name: .long, help: "The index to build and reuse (default: one per folder in the cache folder, kept between runs).")
    var db: String?

    @Option(name: .long, help: "Write every query's outcome (top files, what was missed) as JSON lines to this file.")
    var details: String?

    @Option(name: .long, help: "Only queries of this category.")
    var category: String?

    @Flag(name: .long, help: "One JSON object with every configuration's figures instead of the table.")
    var json = false

    @OptionGroup var models: ModelOptions
    @OptionGroup var engine: EngineOptions

    func run() throws {
        let folder = try Library.absoluteFolder(self.folder)
        let cache = Self.cacheFolder(for: folder)
        var corpus = folder
        var labelled: [EvalQuery]
        if EvalSet.isBEIR(folder) && queries == nil {
            corpus = cache + "/corpus"
            labelled = try EvalSet.materializeBEIR(folder, into: corpus)
            corpus = try Library.absoluteFolder(corpus)
        } else {
            labelled = try EvalSet.readQueries(queries ?? folder + "/queries.jsonl")
        }
        if let category { labelled = labelled.filter { $0.category == category } }
        guard !labelled.isEmpty else { throw ValidationError("No queries to run\(category.map { " in category \($0)" } ?? "").") }

        var storage = StorageOptions()
        storage.db = db ?? cache + "/index.sqlite"
        let library = try Library.open(storage: storage, models: models, engine: engine)
        let hasEmbedder = library.settings.embeddingModel.value != nil
        let hasReranker = library.settings.reranker.value != nil
        let names = compare?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            ?? (["lexical"] + (hasEmbedder ? ["hybrid"] : []) + (hasEmbedder && hasReranker ? ["rerank"] : []))
        let configurations = try names.map { try EvalConfiguration(parsing: $0) }
        if let needing = configurations.first(where: { $0.needsModel && !hasEmbedder }) {
            throw ValidationError("\(needing.name) needs an embedding model (--model or QWERY_MODEL; qwery models lists what is found).")
        }
        if let needing = configurations.first(where: { $0.needsReranker && !hasReranker }) {
            throw ValidationError("\(needing.name) needs a reranker (--reranker or QWERY_RERANKER).")
        }

        let progress = ProgressDisplay()
        let summary = try library.index(roots: [corpus], embed: configurations.contains { $0.needsModel }) { progress.show($0) }
        progress.finish(summary)

        let runner = EvalRunner(pipeline: try library.pipeline(rerank: configurations.contains { $0.needsReranker }), root: corpus)
        let bar = EvalProgress(total: labelled.count * configurations.count)
        var reports: [ConfigurationReport] = []
        for configuration in configurations {
            let done = reports.count * labelled.count
            reports.append(try runner.run(configuration, queries: labelled) { bar.show(done + $0, label: configuration.name) })
        }
        bar.finish()
        if let details { try EvalOutput.writeDetails(reports, to: details) }
        let context = EvalOutput.Context(folder: folder, queries: labelled.count, cpu: CPUDescription.current,
                                         embeddingModel: library.settings.embeddingModel.value, reranker: library.settings.reranker.value)
        print(json ? try EvalOutput.json(reports, context: context) : EvalOutput.table(reports, context: context))
    }

    /// Where a folder's evaluation index (and a BEIR corpus written out) is kept between runs.
    static func cacheFolder(for folder: String) -> String {
        let base = ProcessInfo.processInfo.environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? NSHomeDirectory() + "/.cache"
        let name = (folder as NSString).lastPathComponent
        // FNV-1a of the path: the same folder finds its index again, two folders of one name do not share one.
        let hash = String(folder.utf8.reduce(UInt64(0xcbf2_9ce4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }, radix: 16)
        return base + "/qwery/eval/" + name + "-" + hash
    }
}
