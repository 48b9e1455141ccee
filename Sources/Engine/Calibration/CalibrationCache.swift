import Foundation

/// Calibration results on disk, under the cache folder (`$XDG_CACHE_HOME/qwery/calibration`), one JSON file
/// per key. A key is everything a result depends on (for speed: the CPU model and flags, the BLAS core,
/// qwery's version and the model's shape; for fidelity: the model's content and qwery's version), hashed,
/// so a new CPU, version or model finds no file and measures again.
package struct CalibrationCache: Sendable {
    package let folder: String

    package init(folder: String = CalibrationCache.defaultFolder) {
        self.folder = folder
    }

    package static var defaultFolder: String {
        let environment = ProcessInfo.processInfo.environment
        let cache = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.cache")
        return cache + "/qwery/calibration"
    }

    /// The file name for a key: its kind and a hash of its parts.
    static func fileName(kind: String, key: [String]) -> String {
        // FNV-1a over the parts: a file name, not a security boundary.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.joined(separator: "\u{1F}").utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0100_0000_01b3
        }
        return "\(kind)-\(String(hash, radix: 16)).json"
    }

    package func load<Value: Codable>(_ type: Value.Type, kind: String, key: [String]) -> Value? {
        let path = folder + "/" + Self.fileName(kind: kind, key: key)
        guard let data = FileManager.default.contents(atPath: path),
              let entry = try? JSONDecoder().decode(Entry<Value>.self, from: data), entry.key == key else { return nil }
        return entry.value
    }

    /// Stores `value` (written whole to a temporary file, then renamed); a cache that cannot be written is
    /// not an error: the next run measures again.
    package func store<Value: Codable>(_ value: Value, kind: String, key: [String]) {
        let path = folder + "/" + Self.fileName(kind: kind, key: key)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        guard let data = try? encoder.encode(Entry(key: key, value: value)) else { return }
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let temporary = path + ".\(getpid()).partial"
        guard FileManager.default.createFile(atPath: temporary, contents: data) else { return }
        if rename(temporary, path) != 0 { try? FileManager.default.removeItem(atPath: temporary) }
    }

    /// The key is stored beside the value, so a hash collision reads as a miss.
    private struct Entry<Value: Codable>: Codable {
        let key: [String]
        let value: Value
    }
}
