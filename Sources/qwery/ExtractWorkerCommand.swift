import ArgumentParser
import Foundation
import QweryCore

/// `qwery extract-worker FORMAT LIMITS`: the indexer's extraction worker (hidden). Reads one document
/// from standard input, writes its text as JSON; see `ExtractionClient`.
struct ExtractWorkerCommand: ParsableCommand {
    static let name = "extract-worker"
    static let configuration = CommandConfiguration(
        commandName: name,
        abstract: "Extract one document's text from standard input (run by the indexer, not by hand).",
        shouldDisplay: false
    )

    @Argument(help: "pdf, docx, odt, epub, html or notebook.")
    var format: String

    @Argument(help: "The caps, as the JSON the indexer passes.")
    var limits: String

    func run() throws {
        do {
            throw ExitCode(try Workers.extract(format: format, limits: limits))
        } catch let refused as Workers.ArgumentError {
            throw ValidationError(refused.description)
        }
    }
}
