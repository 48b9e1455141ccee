import Engine
import Foundation

/// Finds Qwen3-Embedding and Qwen3-Reranker checkpoints the user already has, in order:
/// the Hugging Face cache (`$HF_HOME/hub`, else `~/.cache/huggingface/hub`), then qwery's own models
/// folder (`$XDG_DATA_HOME/qwery/models`). Smaller models come first (faster to search with).
public enum ModelLocator {
    /// What a model folder is for.
    public enum Role: String, Sendable {
        case embedding = "Embedding"
        case reranker = "Reranker"
    }

    /// A checkpoint found on disk.
    public struct Found: Sendable {
        public let name: String
        public let folder: String
        public let source: String
    }

    public static let sizes = ["0.6B", "4B", "8B"]

    public static var huggingFaceHub: String {
        if let home = Environment.value("HF_HOME") { return home + "/hub" }
        return Environment.folder("XDG_CACHE_HOME", fallback: ".cache") + "/huggingface/hub"
    }

    public static var qweryModels: String {
        Environment.folder("XDG_DATA_HOME", fallback: ".local/share") + "/qwery/models"
    }

    /// Every complete checkpoint of `role` found, best first.
    public static func all(_ role: Role) -> [Found] {
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

    public static func first(_ role: Role) -> Found? { all(role).first }

    /// A model folder's name for people: `Qwen3-Embedding-0.6B` for a Hugging Face cache snapshot
    /// (`…/models--Qwen--Qwen3-Embedding-0.6B/snapshots/<commit>`), else the folder's own name.
    public static func displayName(of folder: String) -> String {
        let components = (folder as NSString).pathComponents
        if components.count >= 3, components[components.count - 2] == "snapshots",
           let repository = components[components.count - 3].components(separatedBy: "--").last,
           components[components.count - 3].hasPrefix("models--") {
            return repository
        }
        return (folder as NSString).lastPathComponent
    }

    /// A folder with config.json, tokenizer.json and weights (single file or an index).
    public static func isComplete(_ folder: String) -> Bool {
        let manager = FileManager.default
        return manager.fileExists(atPath: folder + "/config.json") && manager.fileExists(atPath: folder + "/tokenizer.json")
            && (manager.fileExists(atPath: folder + "/model.safetensors") || manager.fileExists(atPath: folder + "/model.safetensors.index.json"))
    }
}

extension ModelLocator {
    /// A model folder's `hidden_size` (its full embedding size), read from its config; nil when unreadable.
    public static func hiddenSize(of folder: String) -> Int? {
        (try? Qwen3Configuration(contentsOf: folder + "/config.json"))?.hiddenSize
    }
}
