import ArgumentParser
import Engine
import Foundation
import Store

/// `qwery config`: the effective configuration and where each value comes from.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Print the effective configuration and where each value came from."
    )

    @OptionGroup var models: ModelOptions
    @OptionGroup var engine: EngineOptions

    func run() throws {
        let config = try ConfigFile.load()
        let file = config.path.map { "config file \($0)" } ?? "config file (none at \(ConfigFile.defaultPath))"
        func row(_ key: String, _ value: String, _ source: String) {
            print(key.padding(toLength: max(17, key.count), withPad: " ", startingAt: 0) + " " + value + "   (" + source + ")")
        }
        func source<T>(_ configured: T?, environmentKey: String? = nil) -> String {
            if let environmentKey, Environment.value(environmentKey) != nil { return "environment \(environmentKey)" }
            return configured == nil ? "default" : file
        }
        row("folders", config.folders?.joined(separator: ", ") ?? "(the folders in the index)", source(config.folders))
        row("ignore", config.ignore?.joined(separator: ", ") ?? "(.gitignore, .ignore, global git excludes)", source(config.ignore))
        row("max_file_size", String(config.maximumFileSize ?? 2_000_000), source(config.maximumFileSize))
        let model = try models.embeddingFolder()
        row("model", model ?? "(none found: lexical search only)",
            modelSource(flag: models.model, config.model, environmentKey: "QWERY_MODEL", file: file))
        let reranker = try models.rerankerFolder()
        row("reranker", reranker ?? "(none found: no reranking)",
            modelSource(flag: models.reranker, config.reranker, environmentKey: "QWERY_RERANKER", file: file))
        row("precision", engine.resolvedPrecision.rawValue, engine.precision != nil ? "command-line flag"
            : Environment.value("QWERY_PRECISION") != nil ? "environment QWERY_PRECISION"
            : config.precision != nil ? file : DefaultPrecision.forEmbeddings.reason)
        row("rerank_precision", engine.resolvedRerankPrecision.rawValue, engine.rerankPrecision != nil ? "command-line flag"
            : Environment.value("QWERY_RERANK_PRECISION") != nil ? "environment QWERY_RERANK_PRECISION"
            : config.rerankPrecision != nil ? file
            : engine.chosenPrecision != nil ? "same as precision" : DefaultPrecision.forReranker.reason)
        row("cpu", BenchRunner.machineDescription(), "/proc/cpuinfo")
        for precision in Engine.Precision.allCases {
            row("kernel " + precision.rawValue, precision.kernelDescription, "for this CPU")
        }
        row("dimensions", config.dimensions.map(String.init) ?? "(the model's full size)", source(config.dimensions))
        row("preset", config.preset ?? "notes", source(config.preset))
        row("rerank_depth", String(config.rerankDepth ?? 10), source(config.rerankDepth))
        row("theme", config.theme ?? "dark", source(config.theme))
        row("index", AppDatabase.defaultPath, Environment.value("XDG_DATA_HOME") != nil ? "environment XDG_DATA_HOME" : "default")
        for preset in config.presets { row("preset " + preset.name, preset.instruction, file) }
    }

    private func modelSource(flag: String?, _ configured: String?, environmentKey: String, file: String) -> String {
        if flag != nil { return "command-line flag" }
        if Environment.value(environmentKey) != nil { return "environment \(environmentKey)" }
        if configured != nil { return file }
        return "found on disk (qwery models)"
    }
}
