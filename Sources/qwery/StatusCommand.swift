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

    @Flag(name: .customLong("skipped"), help: "List every skipped file with its reason (by default they are grouped by reason, with counts and examples).")
    var listSkipped = false

    @Flag(name: .customLong("no-daemon"), help: "Do not ask a running qwery watch whether it serves this index.")
    var noDaemon = false

    func run() throws {
        let library = try Library.open(storage: storage, access: .readOnly)
        let status = try library.status()
        // Asked whatever models this command would use: a server of this index says who it is either way.
        let server = noDaemon ? nil : QueryServerClient(library: library).info()
        if json {
            var record = try library.statusRecord()
            record.server = server
            print(Records.encode(record, explicitNulls: true))
            return
        }
        print("index: \(library.indexPath)")
        if let server {
            let minutes = Int(server.uptimeSeconds) / 60
            print("server: qwery watch (pid \(server.pid)) serves searches of this index, up \(minutes / 60) h \(minutes % 60) min, "
                  + "\(server.clients) client\(server.clients == 1 ? "" : "s"), \(server.searches) searches served (\(server.socket ?? ""))")
        } else if !noDaemon {
            print("server: none — each qwery search loads the models itself (run qwery watch to keep them warm)")
        }
        print("folders: \(status.roots.isEmpty ? "(none)" : status.roots.joined(separator: ", "))")
        print("files: \(status.indexedFiles) indexed, \(status.skippedFiles.count) skipped")
        let formats = StatusRecord.formatCounts(status.extensionCounts)
        if !formats.isEmpty {
            print("formats: " + formats.map { "\($0.format) \($0.indexed)" + ($0.skipped > 0 ? " (+\($0.skipped) skipped)" : "") }
                .joined(separator: ", "))
        }
        print("chunks: \(status.chunks) (\(status.distinctChunkContents) distinct)")
        let parsed = Library.parsedLanguages
        print("code parsed with tree-sitter: " + (parsed.isEmpty ? "none (qwery grammars install)" : parsed.joined(separator: ", "))
              + "; YAML keys read with libyaml; other code is chunked by indentation, its definitions found by keyword")
        for model in status.models {
            print("vectors: \(model.vectors) for \(model.name) (\(model.dimension) dims, identity \(model.identity.prefix(12)))"
                  + (model.vectors < status.distinctChunkContents ? " — semantic search covers \(model.vectors) of \(status.distinctChunkContents) chunks" : ""))
        }
        if let pid = library.writerPid { print("being indexed by qwery (pid \(pid))") }
        if status.models.isEmpty { print("vectors: none (no embedding model used yet)") }
        if listSkipped {
            for file in status.skippedFiles { print("skipped: \(file.path): \(file.reason)") }
        } else {
            for line in Self.skippedSummary(status.skippedFiles.map { ($0.path, $0.reason) }) { print(line) }
        }
    }

    /// Skipped files grouped by reason, most first, each with its count and up to three examples:
    /// `skipped 1169: binary (contains NUL bytes) — doc/a.gz, doc/b.mo, doc/c.png (+1166 more; qwery status --skipped)`.
    static func skippedSummary(_ files: [(path: String, reason: String)]) -> [String] {
        var groups: [String: [String]] = [:]
        for file in files {
            // "larger than the 2.0 MB limit (5.8 MB)" and "(6.1 MB)" are one reason; the details stay in --skipped.
            let key = file.reason.replacingOccurrences(of: #" \([^)]*[0-9][^)]*\)"#, with: "", options: .regularExpression)
            groups[key, default: []].append(file.path)
        }
        return groups.sorted { ($0.value.count, $1.key) > ($1.value.count, $0.key) }.map { reason, paths in
            let examples = paths.prefix(3).map { ($0 as NSString).lastPathComponent }.joined(separator: ", ")
            let more = paths.count > 3 ? " (+\(paths.count - 3) more; qwery status --skipped lists them)" : ""
            return "skipped \(paths.count): \(reason) — \(examples)\(more)"
        }
    }
}
