import ArgumentParser
import QweryCore

/// `qwery syntax-worker`: parses code for the indexer and the screen in a process of its own (hidden);
/// see `Workers` in QweryCore.
struct SyntaxWorkerCommand: ParsableCommand {
    static let name = "syntax-worker"
    static let configuration = CommandConfiguration(
        commandName: name,
        abstract: "Outline and highlight code sent on standard input (run by the indexer and the screen, not by hand).",
        shouldDisplay: false
    )

    func run() throws {
        throw ExitCode(Workers.serveSyntax())
    }
}
