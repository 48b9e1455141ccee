import Checksums
import Foundation

/// A model's identity in the index: a hash of its config.json and the names and sizes of its
/// weight files. Vectors are stored per identity, so vectors of two models never mix.
package enum ModelIdentity {
    package static func compute(folder: String) throws -> String {
        let manager = FileManager.default
        var bytes = [UInt8]()
        bytes += Array((try Data(contentsOf: URL(fileURLWithPath: folder + "/config.json")))) 
        let weights = try manager.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".safetensors") }.sorted()
        for name in weights {
            let size = (try manager.attributesOfItem(atPath: folder + "/" + name)[.size] as? NSNumber)?.int64Value ?? -1
            bytes += Array("\n\(name) \(size)".utf8)
        }
        return SHA256.hash(bytes).hexString
    }
}
