import Engine
import Foundation
import Syntax

/// One line of `qwery config`: a key, its effective value, and where that value came from.
package struct ConfigurationRow: Sendable, Equatable {
    package let key: String
    package let value: String
    package let source: String
}

extension Settings {
    /// Every effective setting with its source, as `qwery config` prints them. A measured precision is shown
    /// with the figures behind it (measured now when nothing is cached).
    package func configurationRows() throws -> [ConfigurationRow] {
        let file = Settings.Source.configFile(config.path ?? "(none at \(ConfigFile.defaultPath))").description
        var rows: [ConfigurationRow] = []
        func row(_ key: String, _ value: String, _ source: CustomStringConvertible) {
            rows.append(ConfigurationRow(key: key, value: value, source: source.description))
        }
        func source<T>(_ configured: T?) -> String { configured == nil ? "default" : file }
        row("folders", config.folders?.joined(separator: ", ") ?? "(the folders in the index)", source(config.folders))
        row("ignore", config.ignore?.joined(separator: ", ") ?? "(.gitignore, .ignore, global git excludes)", source(config.ignore))
        row("max_file_size", String(maximumFileSize), source(config.maximumFileSize))
        row("follow_symlinks", String(followSymlinks), source(config.followSymlinks))
        for cap in DocumentSettings.rows(config) {
            row("documents." + cap.key, String(cap.value), cap.configured ? file : "default")
        }
        for prior in RankingSettings.rows(config) {
            row("ranking." + prior.key, "\(prior.value) %", prior.configured ? file : "default")
        }
        row("documents.pdf_viewer", config.pdfViewer ?? "(zathura, evince, okular or xdg-open, the first found)", source(config.pdfViewer))
        row("model", embeddingModel.value ?? "(none found: lexical search only)", embeddingModel.source)
        row("reranker", reranker.value ?? "(none found: no reranking)", reranker.source)
        // A measured precision is shown with the figures behind it (measured now when nothing is cached).
        let slot = ModelSlot(settings: self)
        for (key, forReranker) in [("precision", false), ("rerank_precision", true)] {
            let configured = forReranker ? rerankPrecision : self.precision
            let hasModel = (forReranker ? reranker.value : embeddingModel.value) != nil
            let measures = forReranker ? measuresRerankPrecision : measuresPrecision
            if measures && hasModel {
                let chosen = try slot.precision(forReranker: forReranker)
                row(key, chosen.precision.rawValue, chosen.reason)
            } else if measures {
                row(key, "(measured when a model is found)", "no model")
            } else {
                row(key, configured.value.rawValue, configured.source)
            }
        }
        row("cpu", CPUDescription.current + ", \(ProcessInfo.processInfo.activeProcessorCount) cores", "/proc/cpuinfo")
        let blas = BLASCore.status
        row("blas core", blas.core, blas.note)
        for kernel in Engine.Precision.allCases {
            row("kernel " + kernel.rawValue, kernel.kernelDescription, "for this CPU")
        }
        let library = GrammarLibrary.shared
        let parsed = GrammarReports.shared.usableLanguages
        let unparsed = GrammarCatalog.all.map(\.name).filter { !parsed.contains($0) }
        row("grammars", (parsed.isEmpty ? "none" : parsed.joined(separator: " ")) + (unparsed.isEmpty ? "" : "; indentation chunks: " + unparsed.joined(separator: " ")),
            library.folder + " (qwery grammars)")
        row("dimensions", config.dimensions.map(String.init) ?? "(the model's full size)", source(config.dimensions))
        row("preset", config.preset ?? "notes", source(config.preset))
        row("rerank_depth", String(config.rerankDepth ?? SearchParameters.defaultRerankDepth), source(config.rerankDepth))
        row("theme", config.theme ?? "dark", source(config.theme))
        row("index", indexPath.value, indexPath.source)
        row("socket", ServerAddress.socketPath(forIndex: indexPath.value), "where qwery watch serves this index (for a systemd .socket unit)")
        for preset in config.presets { row("preset " + preset.name, preset.instruction, file) }
        return rows
    }
}
