import ArgumentParser
import Foundation
import ModelHub
import QweryCore

/// `qwery models pull`: downloads checkpoints from the Hugging Face hub into qwery's models folder.
struct ModelsPullCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Download Qwen3 checkpoints from the Hugging Face hub (resumable, checksummed).",
        discussion: """
            Files go to $XDG_DATA_HOME/qwery/models/NAME (staged in .NAME.partial until every file is checked). \
            An interrupted pull resumes where it stopped. HF_ENDPOINT (or --endpoint) picks a mirror; \
            HF_TOKEN is sent when set.
            """
    )

    @Argument(help: "Models to pull (NAME or OWNER/NAME). Default: Qwen3-Embedding-0.6B Qwen3-Reranker-0.6B.")
    var names: [String] = []

    @Option(help: "Hub address (default: HF_ENDPOINT, else https://huggingface.co).")
    var endpoint: String?

    @Option(help: "Branch, tag or commit to download.")
    var revision = "main"

    func run() throws {
        guard let client = HubClient.fromEnvironment(endpoint: endpoint) else {
            throw ValidationError("The hub address \(endpoint ?? "in HF_ENDPOINT") is not a URL.")
        }
        var puller = ModelPuller(client: client, modelsFolder: ModelLocator.qweryModels)
        puller.revision = revision
        let repositories = (names.isEmpty ? ["Qwen3-Embedding-0.6B", "Qwen3-Reranker-0.6B"] : names)
            .map { $0.contains("/") ? $0 : "Qwen/" + $0 }
        for repository in repositories {
            let display = PullProgressDisplay(repository: repository)
            do {
                let outcome = try puller.pull(repository: repository) { display.show($0) }
                display.finish(outcome.wasUpToDate ? "\(repository) is up to date (\(outcome.folder)); nothing downloaded"
                                                   : "\(repository) → \(outcome.folder)")
            } catch {
                display.finish(nil)
                throw error
            }
        }
    }
}
