import ArgumentParser
import Foundation
import QweryCore
import Store

/// `qwery status`: what the index holds.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show indexed folders, file/chunk/vector counts, skipped files with reasons, and models."
    )

    @OptionGroup var storage: StorageOptions

    @Flag(name: .long, help: "Print one JSON object.")
    var json = false

    func run() throws {
        let database = try Library.open(storage: storage, access: .readOnly).database
        let status = try database.status()
        if json {
            print(Self.json(status, path: database.path))
            return
        }
        print("index: \(database.path)")
        print("folders: \(status.roots.isEmpty ? "(none)" : status.roots.joined(separator: ", "))")
        print("files: \(status.indexedFiles) indexed, \(status.skippedFiles.count) skipped")
        print("chunks: \(status.chunks) (\(status.distinctChunkContents) distinct)")
        for model in status.models {
            print("vectors: \(model.vectors) for \(model.name) (\(model.dimension) dims, identity \(model.identity.prefix(12)))"
                  + (model.vectors < status.distinctChunkContents ? " — semantic search covers \(model.vectors) of \(status.distinctChunkContents) chunks" : ""))
        }
        if let pid = IndexWriterLock.holder(databasePath: database.path) { print("being indexed by qwery (pid \(pid))") }
        if status.models.isEmpty { print("vectors: none (no embedding model used yet)") }
        for file in status.skippedFiles {
            print("skipped: \(file.path): \(file.reason)")
        }
    }

    static func json(_ status: IndexStatus, path: String) -> String {
        let models = status.models.map {
            "{\"identity\": \(JSONText.quote($0.identity)), \"name\": \(JSONText.quote($0.name)), \"dimension\": \($0.dimension), \"vectors\": \($0.vectors), "
                + "\"coverage\": {\"vectors\": \($0.vectors), \"chunks\": \(status.distinctChunkContents)}}"
        }
        let skipped = status.skippedFiles.map { "{\"path\": \(JSONText.quote($0.path)), \"reason\": \(JSONText.quote($0.reason))}" }
        return "{\"index\": \(JSONText.quote(path)), \"roots\": [\(status.roots.map(JSONText.quote).joined(separator: ", "))], "
            + "\"files\": \(status.indexedFiles), \"chunks\": \(status.chunks), \"distinct_chunks\": \(status.distinctChunkContents), "
            + "\"models\": [\(models.joined(separator: ", "))], \"skipped\": [\(skipped.joined(separator: ", "))]}"
    }
}

/// JSON string literals for hand-written JSON output.
enum JSONText {
    static func quote(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 {
                    result += String(format: "\\u%04x", scalar.value)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
