import ArgumentParser
import QweryCore
import Foundation

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
        guard let format = DocumentFormat(rawValue: format) else {
            throw ValidationError("unknown document format '\(format)': use pdf, docx, odt, epub, html or notebook")
        }
        guard let limits = try? JSONDecoder().decode(ExtractionLimits.self, from: Data(limits.utf8)) else {
            throw ValidationError("the limits argument is not the JSON the indexer writes")
        }
        throw ExitCode(ExtractionWorker.run(format: format, limits: limits))
    }
}
