import Checksums
import Foundation

/// A model's identity by content, for caches of what depends on its weights: config.json, each
/// safetensors file's size and header (names, shapes, offsets), and 64 KB sampled at 32 evenly spaced
/// places of its data and at its end. Reading all 1.2–16 GB would take seconds to minutes at every start; a fine-tune or a
/// different checkpoint changes the sampled bytes (every tensor is touched by training), and the header
/// alone already differs between sizes and layouts.
package enum ModelContentHash {
    package static func compute(folder: String) throws -> String {
        var bytes = [UInt8]()
        bytes += Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/config.json")))
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".safetensors") }.sorted()
        for name in files {
            guard let handle = FileHandle(forReadingAtPath: folder + "/" + name) else {
                throw EngineError.unreadableFile(path: folder + "/" + name, reason: "cannot open it")
            }
            defer { try? handle.close() }
            let size = try handle.seekToEnd()
            bytes += Array("\n\(name) \(size)\n".utf8)
            try handle.seek(toOffset: 0)
            let headerLength = (try handle.read(upToCount: 8) ?? Data()).reduce((UInt64(0), UInt64(0))) { state, byte in
                (state.0 | UInt64(byte) << state.1, state.1 + 8)
            }.0
            bytes += Array(try handle.read(upToCount: Int(min(headerLength, 100_000_000))) ?? Data())
            let dataStart = 8 + headerLength
            guard size > dataStart else { continue }
            for sample in 0..<32 {
                try handle.seek(toOffset: dataStart + (size - dataStart) / 32 * UInt64(sample))
                bytes += Array(try handle.read(upToCount: 65_536) ?? Data())
            }
            try handle.seek(toOffset: max(dataStart, size >= 65_536 ? size - 65_536 : 0))  // and the file's end
            bytes += Array(try handle.read(upToCount: 65_536) ?? Data())
        }
        return SHA256.hash(bytes).hexString
    }
}
