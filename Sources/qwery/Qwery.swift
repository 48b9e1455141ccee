import ArgumentParser
import Foundation
import QweryCore
import Synchronization

/// The `qwery` command: live semantic search over folders, and scriptable subcommands.
@main
struct Qwery: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qwery",
        abstract: "Search your notes and code by meaning, live, with an in-process Qwen3 engine.",
        version: QweryVersion.current,
        subcommands: [OpenCommand.self, IndexCommand.self, WatchCommand.self, SearchCommand.self, SimilarCommand.self, MCPCommand.self, StatusCommand.self, ModelsCommand.self, ConfigCommand.self, TokenizeCommand.self, EmbedCommand.self, RerankCommand.self, BenchCommand.self, EvalCommand.self, GrammarsCommand.self, ExtractWorkerCommand.self, SyntaxWorkerCommand.self],
        defaultSubcommand: OpenCommand.self
    )

    /// Runs the command; `search` exits like grep and ripgrep: 0 found, 1 nothing found, 2 on any error
    /// (usage errors included), so scripts and editors can tell "no match" from "broken".
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        // Before anything computes: a fallback BLAS core re-executes qwery with the right one (not the
        // extraction and syntax workers, which never multiply a matrix).
        let workers = [ExtractWorkerCommand.name, SyntaxWorkerCommand.name]
        if !workers.contains(arguments.first ?? "") {
            Library.prepareProcess(syntaxWorker: [SyntaxWorkerCommand.name])
        }
        do {
            var command = try parseAsRoot(arguments)
            if var asynchronous = command as? AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            if ["search", "similar"].contains(arguments.first ?? ""), !(error is ExitCode), exitCode(for: error) != .success {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
