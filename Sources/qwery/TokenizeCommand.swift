import ArgumentParser
import Foundation
import QweryCore

/// `qwery tokenize`: JSON Lines `{"text": ...}` in, `{"ids": [...]}` out, no special tokens added.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Print the token ids of each JSON Lines {\"text\": ...} input (no <|endoftext|> added)."
    )

    @Option(name: .long, help: "Model folder holding tokenizer.json (or the tokenizer.json file itself).")
    var model: String

    func run() throws {
        let tokenizer = try TokenizerLocation.load(model)
        try JSONLines.transform(field: "text") { text in
            let ids = tokenizer.encode(text)
            var line = "{\"ids\": ["
            line.reserveCapacity(ids.count * 7 + 12)
            for (index, id) in ids.enumerated() {
                if index > 0 { line += ", " }
                line += String(id)
            }
            line += "]}"
            return line
        }
    }
}
