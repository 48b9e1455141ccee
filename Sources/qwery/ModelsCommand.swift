import ArgumentParser
import Foundation
import QweryCore

/// `qwery models`: the checkpoints qwery can use (`list`, the default) and `pull`.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List the Qwen3 checkpoints found, or pull one from the Hugging Face hub.",
        subcommands: [ModelsListCommand.self, ModelsPullCommand.self],
        defaultSubcommand: ModelsListCommand.self
    )
}

/// `qwery models list`: the embedding and reranker checkpoints found, and which are active.
struct ModelsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the Qwen3 embedding and reranker checkpoints found, and which are active."
    )

    @OptionGroup var models: ModelOptions

    func run() throws {
        let settings = try CommandLineSettings.resolve(models: models)
        let activeEmbedding = settings.embeddingModel.value
        let activeReranker = settings.reranker.value
        var rows: [[String]] = [["", "name", "role", "size", "dtype", "dims", "where"]]
        var seen = Set<String>()
        func add(_ folder: String, name: String, role: String, source: String) {
            guard seen.insert(folder).inserted else { return }
            let active = folder == activeEmbedding || folder == activeReranker
            rows.append([active ? "*" : "", name, role, Self.size(of: folder), Self.dataType(of: folder),
                         Self.dimension(of: folder), "\(folder) (\(source))"])
        }
        if let activeEmbedding { add(activeEmbedding, name: ModelLocator.displayName(of: activeEmbedding), role: "embedding", source: "active") }
        if let activeReranker { add(activeReranker, name: ModelLocator.displayName(of: activeReranker), role: "reranker", source: "active") }
        for found in ModelLocator.all(.embedding) { add(found.folder, name: found.name, role: "embedding", source: found.source) }
        for found in ModelLocator.all(.reranker) { add(found.folder, name: found.name, role: "reranker", source: found.source) }
        if rows.count == 1 {
            print("No models found. Looked in \(ModelLocator.huggingFaceHub) and \(ModelLocator.qweryModels);")
            print("run `qwery models pull` (Qwen3-Embedding-0.6B and Qwen3-Reranker-0.6B), or set --model/--reranker")
            print("or QWERY_MODEL/QWERY_RERANKER to a Hugging Face model folder.")
            return
        }
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            print(row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  "))
        }
        print("(* active)")
    }

    static func size(of folder: String) -> String {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".safetensors") }) ?? []
        let bytes = files.reduce(Int64(0)) { total, name in
            let attributes = try? FileManager.default.attributesOfItem(atPath: folder + "/" + name)
            return total + ((attributes?[.size] as? NSNumber)?.int64Value ?? 0)
        }
        return String(format: "%.2f GB", Double(bytes) / 1e9)
    }

    static func dataType(of folder: String) -> String {
        guard let text = try? String(contentsOfFile: folder + "/config.json", encoding: .utf8) else { return "?" }
        for key in ["\"torch_dtype\"", "\"dtype\""] {
            if let range = text.range(of: key), let value = text[range.upperBound...].split(separator: "\"").dropFirst().first {
                return String(value)
            }
        }
        return "?"
    }

    static func dimension(of folder: String) -> String {
        ModelLocator.hiddenSize(of: folder).map(String.init) ?? "?"
    }
}
