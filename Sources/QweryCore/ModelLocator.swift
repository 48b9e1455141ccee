import Engine
import Foundation

/// Finds Qwen3-Embedding and Qwen3-Reranker checkpoints the user already has, in order:
/// the Hugging Face cache (`$HF_HOME/hub`, else `~/.cache/huggingface/hub`), then qwery's own models
/// folder (`$XDG_DATA_HOME/qwery/models`). Smaller models come first (faster to search with).
package enum ModelLocator {
    /// What a model folder is for.
    package enum Role: String, Sendable {
        case embedding = "Embedding"
        case reranker = "Reranker"
    }

    /// A checkpoint found on disk.
    package struct Found: Sendable {
        package let name: String
        package let folder: String
        package let source: String
    }

    package static let sizes = ["0.6B", "4B", "8B"]

    package static var huggingFaceHub: String {
        if let home = Environment.value("HF_HOME") { return home + "/hub" }
        return Environment.folder("XDG_CACHE_HOME", fallback: ".cache") + "/huggingface/hub"
    }

    package static var qweryModels: String {
        Environment.folder("XDG_DATA_HOME", fallback: ".local/share") + "/qwery/models"
    }

    /// Every complete checkpoint of `role` found, best first.
    package static func all(_ role: Role) -> [Found] {
        var found: [Found] = []
        let manager = FileManager.default
        for size in sizes {
            let name = "Qwen3-\(role.rawValue)-\(size)"
            let snapshots = huggingFaceHub + "/models--Qwen--\(name)/snapshots"
            for snapshot in ((try? manager.contentsOfDirectory(atPath: snapshots)) ?? []).sorted() {
                let folder = snapshots + "/" + snapshot
                if isComplete(folder) { found.append(Found(name: name, folder: folder, source: "Hugging Face cache")) }
            }
            let own = qweryModels + "/" + name
            if isComplete(own) { found.append(Found(name: name, folder: own, source: "qwery models folder")) }
        }
        return found
    }

    package static func first(_ role: Role) -> Found? { all(role).first }

    /// A model folder's name for people: `Qwen3-Embedding-0.6B` for a Hugging Face cache snapshot
    /// (`…/models--Qwen--Qwen3-Embedding-0.6B/snapshots/<commit>`), else the folder's own name.
    package static func displayName(of folder: String) -> String {
        let components = (folder as NSString).pathComponents
        if components.count >= 3, components[components.count - 2] == "snapshots",
           let repository = components[components.count - 3].components(separatedBy: "--").last,
           components[components.count - 3].hasPrefix("models--") {
            return repository
        }
        return (folder as NSString).lastPathComponent
    }

    /// A folder with config.json, tokenizer.json and weights (single file or an index).
    package static func isComplete(_ folder: String) -> Bool {
        let manager = FileManager.default
        return manager.fileExists(atPath: folder + "/config.json") && manager.fileExists(atPath: folder + "/tokenizer.json")
            && (manager.fileExists(atPath: folder + "/model.safetensors") || manager.fileExists(atPath: folder + "/model.safetensors.index.json"))
    }
}

extension ModelLocator {
    /// A model folder's `hidden_size` (its full embedding size), read from its config; nil when unreadable.
    package static func hiddenSize(of folder: String) -> Int? {
        (try? Qwen3Configuration(contentsOf: folder + "/config.json"))?.hiddenSize
    }
}
