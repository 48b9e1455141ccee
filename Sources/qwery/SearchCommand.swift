import ArgumentParser
import Foundation
import QweryCore

/// `qwery search "QUERY"`: ranked results from the index, reranked when a reranker is available.
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search the index: lexical and semantic results fused, then reranked."
    )

    @Argument(help: "What to look for: words, filters (ext:md, path:notes/**, -word, \"a phrase\"…); several arguments are one query, so `:grep two words` works from vim.")
    var words: [String]

    var query: String { words.joined(separator: " ") }

    @OptionGroup var storage: StorageOptions
    @OptionGroup var models: ModelOptions
    @OptionGroup var engine: EngineOptions

    @Option(name: .long, parsing: .unconditional, help: "How many results to print.")
    var limit = 10

    @Option(name: .long, help: "Embedding dimensions used for the vector scan (MRL, 32 up to the model's size).")
    var dimensions: Int?

    @Option(name: .long, help: "Task instruction for the query.")
    var instruction: String?

    @Option(name: .long, help: "Instruction preset: notes, code or web.")
    var preset: String?

    @Option(name: .customLong("rerank-depth"), help: "How many top results the reranker re-orders.")
    var rerankDepth = SearchParameters.defaultRerankDepth

    @Option(name: .customLong("per-file"), help: "Results of one file before the others get their turn (0: no limit).")
    var perFile = 3

    @Flag(name: .customLong("no-rerank"), help: "Skip the reranker.")
    var noRerank = false

    @Flag(name: .customLong("rerank"), help: "Rerank in --vimgrep, -l and -C modes too (they do not by default: a tool reads their matches at once).")
    var forceRerank = false

    /// Plain output, --json and --explain rerank by default; grep modes (--vimgrep, -l, -C) do not unless asked: an
    /// editor's :grep wants its matches at once (a cold rerank pass is seconds), the reranker only re-orders what
    /// matched, and Qwen3-Reranker-0.6B lowers code retrieval (MTEB-Code 75.41 → 73.42), which is what editors grep.
    var reranks: Bool { !noRerank && (!output.isGrepMode || forceRerank) }

    @Flag(name: .customLong("no-daemon"), help: "Search in this process even when a running qwery watch serves this index.")
    var noDaemon = false

    @OptionGroup var output: ResultOutputOptions

    func validate() throws {
        if query.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("Give a query, e.g. qwery search \"budget for march\".") }
        if instruction != nil && preset != nil { throw ValidationError("Give --instruction or --preset, not both.") }
        if let preset, InstructionPreset.builtIn.first(where: { $0.name == preset }) == nil {
            throw ValidationError("Unknown preset \(preset); presets: \(InstructionPreset.builtIn.map(\.name).joined(separator: ", ")).")
        }
        try OptionBounds.check("--dimensions", dimensions, in: OptionBounds.dimensions)
        try OptionBounds.check("--limit", limit, in: OptionBounds.limit)
        try OptionBounds.check("--rerank-depth", rerankDepth, in: OptionBounds.rerankDepth)
        try OptionBounds.check("--per-file", perFile, in: OptionBounds.perFile)
    }

    func run() throws {
        // A grep mode is one query an editor waits for: exact loads fastest where nobody chose a precision (see
        // Settings.forOneShot). Other modes print scores, which then match what `qwery watch` answers to the digit.
        let library = try Library.open(storage: storage, models: models, engine: engine, access: .readOnly, oneShot: output.isGrepMode)
        var parameters = SearchParameters(
            query: query, limit: limit, dimensions: dimensions, perFile: perFile,
            instruction: instruction ?? InstructionPreset.builtIn.first { $0.name == (preset ?? "notes") }?.instruction
                ?? InstructionPreset.notes.instruction,
            rerank: reranks, rerankDepth: rerankDepth)
        if QueryAnalysis(query).isFilterOnly {
            // Filters alone list what they keep: no model is loaded, nothing is embedded or reranked.
            parameters.rerank = false
            return try output.print(try library.search(parameters), query: query, coverage: nil)
        }
        // The warm path: the running `qwery watch` of this index answers, its models and vectors already loaded. Any
        // doubt (no server, another index or models, an error there) and this process searches itself.
        if !noDaemon, let served = QueryServerClient(library: library).send(QueryServerClient.request(.search, library: library, search: parameters)) {
            if !output.quiet { served.notes?.forEach(note) }
            return try output.print(served.results ?? [], query: query, coverage: served.coverage.map { ($0.vectors, $0.chunks) })
        }
        if let problem = try library.dimensionProblem(dimensions) { throw ValidationError(problem) }
        if !output.quiet { try library.searchNotes(rerank: reranks).forEach(note) }
        try output.print(try library.search(parameters), query: query, coverage: try library.coverage())
    }

    private func note(_ message: String) {
        FileHandle.standardError.write(Data("qwery: \(message)\n".utf8))
    }
}
