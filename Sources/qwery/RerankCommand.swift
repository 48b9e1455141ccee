import ArgumentParser
import Foundation
import QweryCore

/// `qwery rerank`: JSON Lines `{"document": ...}` in, `{"score": s}` out, same order.
struct RerankCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rerank",
        abstract: "Score each JSON Lines {\"document\": ...} input against a query with a Qwen3-Reranker."
    )

    @Option(name: .long, help: "Qwen3-Reranker model folder (Hugging Face layout).")
    var model: String

    @Option(name: .long, help: "The query the documents are judged against.")
    var query: String

    @Option(name: .long, help: "The task instruction (default: the model card's web search instruction).")
    var instruction: String = ModelSlot.defaultRerankInstruction

    @OptionGroup var engine: EngineOptions

    func run() throws {
        let settings = try CommandLineSettings.resolve(models: ModelOptions(reranker: model), engine: engine)
        let models = ModelSlot(settings: settings)
        guard settings.reranker.value != nil else { return }
        let output = BufferedOutput()
        var pending: [String] = []
        func flush() throws {
            guard !pending.isEmpty else { return }
            for score in try models.rerankScores(query: query, documents: pending, instruction: instruction) ?? [] {
                output.write("{\"score\": \(FloatText.format(score))}")
            }
            pending.removeAll(keepingCapacity: true)
        }
        try JSONLines.forEach(field: "document", onError: { try? flush(); output.flush() }) { document in
            pending.append(document)
            if pending.count == 8 { try flush() }
        }
        try flush()
        output.flush()
    }
}
