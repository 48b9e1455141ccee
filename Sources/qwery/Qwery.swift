import ArgumentParser

/// The `qwery` command: live semantic search over folders, and scriptable subcommands.
@main
struct Qwery: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qwery",
        abstract: "Search your notes and code by meaning, live, with an in-process Qwen3 engine.",
        version: "0.2.0",
        subcommands: [OpenCommand.self, IndexCommand.self, SearchCommand.self, StatusCommand.self, ModelsCommand.self, ConfigCommand.self, TokenizeCommand.self, EmbedCommand.self, RerankCommand.self, BenchCommand.self],
        defaultSubcommand: OpenCommand.self
    )
}
