import Foundation

/// One file of a hub repository, as its tree listing describes it.
package struct HubFile: Equatable, Sendable {
    /// Path inside the repository (top level: `config.json`, `model-00001-of-00002.safetensors`).
    package let path: String
    /// Size in bytes (of the real file, not the LFS pointer).
    package let size: Int64
    /// Lowercase hex SHA-256 for LFS files (the weights); nil for small files kept in git.
    package let sha256: String?

    package init(path: String, size: Int64, sha256: String?) {
        self.path = path
        self.size = size
        self.sha256 = sha256
    }

    /// Whether a checkpoint needs this file: top-level JSON (config, tokenizer, index) and weights.
    var isNeededForCheckpoint: Bool {
        !path.contains("/") && (path.hasSuffix(".json") || path.hasSuffix(".safetensors"))
    }
}
