import ArgumentParser
import Foundation
import QweryCore

/// `qwery embed`: JSON Lines `{"text": ...}` in, `{"embedding": [...]}` out, same order.
struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Embed each JSON Lines {\"text\": ...} input; with --instruction, inputs are queries."
    )

    @Option(name: .long, help: "Qwen3-Embedding model folder (Hugging Face layout).")
    var model: String

    @Option(name: .long, help: "Embed inputs as queries: \"Instruct: {instruction}\\nQuery:{text}\".")
    var instruction: String?

    @Option(name: .long, help: "Keep the first N dimensions (MRL) and re-normalise.")
    var dimensions: Int?

    @OptionGroup var engine: EngineOptions

    func validate() throws {
        try OptionBounds.check("--dimensions", dimensions, in: OptionBounds.dimensions)
    }

    func run() throws {
        let settings = try CommandLineSettings.resolve(models: ModelOptions(model: model), engine: engine)
        let models = ModelSlot(settings: settings)
        guard settings.embeddingModel.value != nil else { return }
        let batchSize = 16
        var pending: [String] = []
        let output = BufferedOutput()
        func flush() throws {
            guard !pending.isEmpty else { return }
            for vector in try models.embed(pending, instruction: instruction, dimensions: dimensions) ?? [] {
                output.write("{\"embedding\": [" + vector.map(FloatText.format).joined(separator: ", ") + "]}")
            }
            pending.removeAll(keepingCapacity: true)
        }
        try JSONLines.forEach(field: "text", onError: { try? flush(); output.flush() }) { text in
            pending.append(text)
            if pending.count == batchSize { try flush() }
        }
        try flush()
        output.flush()
    }
}
