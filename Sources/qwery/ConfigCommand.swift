import Bench
import ArgumentParser
import Foundation
import QweryCore

/// `qwery config`: the effective configuration and where each value comes from.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Print the effective configuration and where each value came from."
    )

    @OptionGroup var models: ModelOptions
    @OptionGroup var engine: EngineOptions

    func run() throws {
        let settings = try CommandLineSettings.resolve(models: models, engine: engine)
        let config = settings.config
        let file = Settings.Source.configFile(config.path ?? "(none at \(ConfigFile.defaultPath))").description
        func row(_ key: String, _ value: String, _ source: CustomStringConvertible) {
            print(key.padding(toLength: max(17, key.count), withPad: " ", startingAt: 0) + " " + value + "   (" + source.description + ")")
        }
        func source<T>(_ configured: T?) -> String { configured == nil ? "default" : file }
        row("folders", config.folders?.joined(separator: ", ") ?? "(the folders in the index)", source(config.folders))
        row("ignore", config.ignore?.joined(separator: ", ") ?? "(.gitignore, .ignore, global git excludes)", source(config.ignore))
        row("max_file_size", String(settings.maximumFileSize), source(config.maximumFileSize))
        row("follow_symlinks", String(settings.followSymlinks), source(config.followSymlinks))
        for cap in DocumentSettings.rows(config) {
            row("documents." + cap.key, String(cap.value), cap.configured ? file : "default")
        }
        row("documents.pdf_viewer", config.pdfViewer ?? "(zathura, evince, okular or xdg-open, the first found)", source(config.pdfViewer))
        row("model", settings.embeddingModel.value ?? "(none found: lexical search only)", settings.embeddingModel.source)
        row("reranker", settings.reranker.value ?? "(none found: no reranking)", settings.reranker.source)
        // A measured precision is shown with the figures behind it (measured now when nothing is cached).
        let slot = ModelSlot(settings: settings)
        for (key, forReranker) in [("precision", false), ("rerank_precision", true)] {
            let configured = forReranker ? settings.rerankPrecision : settings.precision
            let hasModel = (forReranker ? settings.reranker.value : settings.embeddingModel.value) != nil
            let measures = forReranker ? settings.measuresRerankPrecision : settings.measuresPrecision
            if measures && hasModel {
                let chosen = try slot.precision(forReranker: forReranker)
                row(key, chosen.precision.rawValue, chosen.reason)
            } else if measures {
                row(key, "(measured when a model is found)", "no model")
            } else {
                row(key, configured.value.rawValue, configured.source)
            }
        }
        row("cpu", BenchRunner.machineDescription(), "/proc/cpuinfo")
        let blas = BLASCore.status
        row("blas core", blas.core, blas.note)
        for precision in Engine.Precision.allCases {
            row("kernel " + precision.rawValue, precision.kernelDescription, "for this CPU")
        }
        let library = GrammarLibrary.shared
        let parsed = GrammarReports.shared.usableLanguages
        let unparsed = GrammarCatalog.all.map(\.name).filter { !parsed.contains($0) }
        row("grammars", (parsed.isEmpty ? "none" : parsed.joined(separator: " ")) + (unparsed.isEmpty ? "" : "; indentation chunks: " + unparsed.joined(separator: " ")),
            library.folder + " (qwery grammars)")
        row("dimensions", config.dimensions.map(String.init) ?? "(the model's full size)", source(config.dimensions))
        row("preset", config.preset ?? "notes", source(config.preset))
        row("rerank_depth", String(config.rerankDepth ?? RerankPass.defaultDepth), source(config.rerankDepth))
        row("theme", config.theme ?? "dark", source(config.theme))
        row("index", settings.indexPath.value, settings.indexPath.source)
        for preset in config.presets { row("preset " + preset.name, preset.instruction, file) }
    }
}
