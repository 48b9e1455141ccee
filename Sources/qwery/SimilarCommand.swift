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

    @Flag(name: .customLong("no-daemon"), help: "Read the vectors in this process even when a running qwery watch serves this index.")
    var noDaemon = false

    @Option(name: .long, help: "Embedding dimensions used for the vector scan (MRL).")
    var dimensions: Int?

    func validate() throws {
        try OptionBounds.check("--limit", limit, in: OptionBounds.limit)
        try OptionBounds.check("--dimensions", dimensions, in: OptionBounds.dimensions)
    }

    func run() throws {
        let (path, line) = try Self.location(source)
        let library = try Library.open(storage: storage, models: models, access: .readOnly)
        let parameters = SimilarParameters(path: path, line: line, limit: limit, dimensions: dimensions)
        // The running `qwery watch` has the vectors in memory already (reading them is 2.5 s at 100,000 chunks).
        if !noDaemon, let served = QueryServerClient(library: library).send(QueryServerClient.request(.similar, library: library, similar: parameters)) {
            return try output.print(served.results ?? [], query: "")
        }
        try output.print(try library.similar(parameters), query: "")
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
