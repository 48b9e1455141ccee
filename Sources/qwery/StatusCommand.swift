import ArgumentParser
import Foundation
import QweryCore

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
            print(Records.encode(StatusRecord(status, path: database.path, writerPid: IndexWriterLock.holder(databasePath: database.path)),
                                 explicitNulls: true))
            return
        }
        print("index: \(database.path)")
        print("folders: \(status.roots.isEmpty ? "(none)" : status.roots.joined(separator: ", "))")
        print("files: \(status.indexedFiles) indexed, \(status.skippedFiles.count) skipped")
        let formats = StatusRecord.formatCounts(status.extensionCounts)
        if !formats.isEmpty {
            print("formats: " + formats.map { "\($0.format) \($0.indexed)" + ($0.skipped > 0 ? " (+\($0.skipped) skipped)" : "") }
                .joined(separator: ", "))
        }
        print("chunks: \(status.chunks) (\(status.distinctChunkContents) distinct)")
        let parsed = GrammarCatalog.all.filter { GrammarLibrary.shared.grammar($0) != nil }.map(\.name)
        print("code parsed with tree-sitter: " + (parsed.isEmpty ? "none (qwery grammars install)" : parsed.joined(separator: ", "))
              + "; YAML keys read with libyaml; other code is chunked by indentation")
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
}
