import ArgumentParser
import Foundation
import QweryCore

/// `qwery similar PATH[:LINE]`: "more like this" from the stored vectors of a chunk or a whole file.
struct SimilarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similar",
        abstract: "Find chunks like a file (the mean of its vectors) or like the chunk at PATH:LINE; nothing is embedded."
    )

    @Argument(help: "An indexed file, optionally with a line: notes/ideas.md or notes/ideas.md:42.")
    var source: String

    @OptionGroup var storage: StorageOptions
    @OptionGroup var models: ModelOptions
    @OptionGroup var output: ResultOutputOptions

    @Option(name: .long, help: "How many results to print.")
    var limit = 10

    @Option(name: .long, help: "Embedding dimensions used for the vector scan (MRL).")
    var dimensions: Int?

    func validate() throws {
        try OptionBounds.check("--limit", limit, in: OptionBounds.limit)
        try OptionBounds.check("--dimensions", dimensions, in: OptionBounds.dimensions)
    }

    func run() throws {
        let (path, line) = try Self.location(source)
        let service = try Library.open(storage: storage, models: models, access: .readOnly).storedVectorService()
        var options = SearchService.Options()
        options.limit = limit
        options.dimensions = dimensions
        let job = SearchJob(.similar(path: path, line: line), options: options, rerank: false)
        try output.print(try SearchPipeline(service: service, rerankPass: nil).results(job), query: "")
    }

    /// `PATH` or `PATH:LINE`, the path made absolute and real (as the index stores it).
    static func location(_ source: String) throws -> (path: String, line: Int?) {
        var path = source
        var line: Int?
        if let colon = source.lastIndex(of: ":"), let number = Int(source[source.index(after: colon)...]) {
            guard number > 0 else {
                throw ValidationError("Line \(number) is not a line of \(source[..<colon]): lines count from 1 (PATH:LINE, or PATH for the whole file).")
            }
            path = String(source[..<colon])
            line = number
        }
        let expanded = (path as NSString).expandingTildeInPath
        let absolute = expanded.hasPrefix("/") ? expanded : FileManager.default.currentDirectoryPath + "/" + expanded
        guard FileManager.default.fileExists(atPath: absolute) else { throw ValidationError("No such file: \(path).") }
        return (URL(fileURLWithPath: absolute).standardizedFileURL.resolvingSymlinksInPath().path, line)
    }
}
