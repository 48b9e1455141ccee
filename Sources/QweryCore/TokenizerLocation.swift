import Foundation
import Tokenizers

/// Finds tokenizer.json given a model folder or the file itself.
package enum TokenizerLocation {
    package static func load(_ path: String) throws -> Tokenizer {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        let file = exists && isDirectory.boolValue ? (path as NSString).appendingPathComponent("tokenizer.json") : path
        return try Tokenizer(contentsOf: file)
    }
}
