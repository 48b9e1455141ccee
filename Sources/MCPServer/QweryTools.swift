import Foundation
import QweryCore
import MCP

/// The tools qwery offers agents: `search`, `get`, `similar`, `status`. Each takes JSON arguments (schemas
/// below) and answers with structured content plus the same JSON as text; bad arguments and refusals are
/// tool errors (`isError`) with a sentence saying what to do.
package struct QweryTools: Sendable {
    let context: ToolContext

    package init(context: ToolContext) {
        self.context = context
    }

    /// A tool error: the message reaches the agent, the session goes on.
    struct ToolFailure: Error {
        let message: String
    }

    // MARK: - Definitions

    package static let definitions: [Tool] = [
        Tool(name: "search", description: """
            Search the user's indexed notes and code by meaning and by words (hybrid: BM25 + embeddings, fused, then \
            reranked). Returns ranked chunks with path, line range, snippet and scores — a PDF hit its page, a notebook \
            hit its cell, code its symbol (Ledger.reconcile) — and how much of the index has vectors yet.
            """,
             inputSchema: .object([
                "type": "object",
                "properties": .object([
                    "query": .object(["type": "string", "description": "What to look for, in plain words. Filters may follow: path:GLOB, dir:NAME, ext:md,py, lang:rust, sym:GLOB (a code symbol, e.g. sym:reconcile or sym:Ledger.*), -word, \"exact phrase\", modified:<7d. Filters alone (sym:reconcile) list what they keep: a go-to-symbol, exact names first."]),
                    "limit": .object(["type": "integer", "minimum": 1, "maximum": 100, "default": 10]),
                    "rerank": .object(["type": "boolean", "default": true, "description": "Re-order the top results with the reranker."]),
                    "instruction": .object(["type": "string", "description": "Task instruction for the query embedding."]),
                    "preset": .object(["type": "string", "enum": ["notes", "code", "web", "docs"], "description": "A built-in instruction."]),
                    "dimensions": .object(["type": "integer", "minimum": 32, "description": "MRL dimensions for the vector scan (32 up to the model's size)."]),
                ]),
                "required": ["query"],
             ]),
             annotations: .init(readOnlyHint: true)),
        Tool(name: "get", description: """
            Read a file (or lines of it) inside the indexed folders, e.g. around a search result. Paths outside them, \
            links out of them and special files are refused. A document (PDF, DOCX, ODT, EPUB, HTML, notebook) reads as \
            its extracted text with page or cell markers; "page" (PDF) or "cell" (notebook) returns just that one.
            """,
             inputSchema: .object([
                "type": "object",
                "properties": .object([
                    "path": .object(["type": "string", "description": "As returned by search (absolute), or relative to an indexed folder."]),
                    "start_line": .object(["type": "integer", "minimum": 1]),
                    "end_line": .object(["type": "integer", "minimum": 1]),
                    "page": .object(["type": "integer", "minimum": 1, "description": "A PDF page, as search returns it."]),
                    "cell": .object(["type": "integer", "minimum": 1, "description": "A notebook cell, as search returns it."]),
                ]),
                "required": ["path"],
             ]),
             annotations: .init(readOnlyHint: true)),
        Tool(name: "similar", description: """
            More like this: the chunks nearest to a file (the mean of its vectors) or to the chunk covering a line, the \
            source left out. Uses stored vectors only, so it answers in milliseconds.
            """,
             inputSchema: .object([
                "type": "object",
                "properties": .object([
                    "path": .object(["type": "string"]),
                    "line": .object(["type": "integer", "minimum": 1]),
                    "limit": .object(["type": "integer", "minimum": 1, "maximum": 100, "default": 10]),
                ]),
                "required": ["path"],
             ]),
             annotations: .init(readOnlyHint: true)),
        Tool(name: "status", description: "The indexed folders, file/chunk/vector counts, skipped files with reasons, models, and whether the index is being updated.",
             inputSchema: .object(["type": "object", "properties": .object([:])]),
             annotations: .init(readOnlyHint: true)),
    ]

    // MARK: - Calls

    /// Runs one tool call.
    package func call(_ name: String, arguments: [String: Value]) -> CallTool.Result {
        do {
            switch name {
            case "search": return try structured(search(arguments))
            case "get": return try structured(get(arguments))
            case "similar": return try structured(similar(arguments))
            case "status": return try structured(status())
            default: throw ToolFailure(message: "Unknown tool \(name); the tools are search, get, similar and status.")
            }
        } catch let failure as ToolFailure {
            return CallTool.Result(content: [.text(text: failure.message, annotations: nil, _meta: nil)], isError: true)
        } catch {
            return CallTool.Result(content: [.text(text: "\(error)", annotations: nil, _meta: nil)], isError: true)
        }
    }

    private func structured<Output: Codable>(_ output: Output) throws -> CallTool.Result {
        let text = Records.encode(output, explicitNulls: false)
        return try CallTool.Result(content: [.text(text: text, annotations: nil, _meta: nil)], structuredContent: output)
    }

    func search(_ arguments: [String: Value]) throws -> SearchOutput {
        guard let query = arguments["query"]?.stringValue, !query.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ToolFailure(message: "search needs a non-empty \"query\" string.")
        }
        let limit = try Self.integer(arguments, "limit", default: 10, range: 1...100)
        var instruction = arguments["instruction"]?.stringValue
        if instruction == nil, let preset = arguments["preset"]?.stringValue {
            guard let found = InstructionPreset.builtIn.first(where: { $0.name == preset }) else {
                throw ToolFailure(message: "Unknown preset \(preset); presets: notes, code, web, docs.")
            }
            instruction = found.instruction
        }
        // One job either way: the running watcher's (which checks the dimensions against its model), else this process's.
        let requested = try arguments["dimensions"].map { _ in try Self.integer(arguments, "dimensions", default: 0, range: 1...Int.max) }
        var parameters = SearchParameters(query: query, limit: limit, dimensions: requested, perFile: nil, instruction: instruction,
                                          rerank: arguments["rerank"]?.boolValue ?? true)
        if let server = context.server, let answer = server.send(QueryServerClient.request(.search, library: context.library, search: parameters)),
           let results = answer.results, let coverage = answer.coverage {
            return SearchOutput(results, query: query, coverage: coverage)
        }
        // As the CLI: Qwen3-Embedding's MRL sizes start at 32 and end at the model's own size.
        let fullSize = (try? context.library.embeddingDimension()) ?? nil ?? 4096
        parameters.dimensions = try arguments["dimensions"].map { _ in try Self.integer(arguments, "dimensions", default: 0, range: min(32, fullSize)...fullSize) }
        return SearchOutput(try context.library.search(parameters), query: query, coverage: try coverage())
    }

    func get(_ arguments: [String: Value]) throws -> GetOutput {
        guard let path = arguments["path"]?.stringValue, !path.isEmpty else { throw ToolFailure(message: "get needs a \"path\" string.") }
        let start = try arguments["start_line"].map { _ in try Self.integer(arguments, "start_line", default: 1, range: 1...Int.max) }
        let end = try arguments["end_line"].map { _ in try Self.integer(arguments, "end_line", default: 1, range: 1...Int.max) }
        let page = try arguments["page"].map { _ in try Self.integer(arguments, "page", default: 1, range: 1...Int.max) }
        let cell = try arguments["cell"].map { _ in try Self.integer(arguments, "cell", default: 1, range: 1...Int.max) }
        let locator = page.map(Locator.page) ?? cell.map(Locator.cell)
        do {
            let file = try context.library.read(path, startLine: start, endLine: end, locator: locator, within: context.roots)
            var note: String?
            if file.lineCut {
                note = "line \(file.lines.upperBound) is longer than \(Library.maximumReadBytes / 1024) KiB; only its start is here"
            } else if let next = file.nextLine {
                note = "the text is cut at \(Library.maximumReadBytes / 1024) KiB; call get again with start_line \(next) for more"
            }
            return GetOutput(path: file.path, startLine: file.lines.lowerBound, endLine: file.lines.upperBound, text: file.text,
                             nextLine: file.nextLine, note: note)
        } catch {
            throw ToolFailure(message: error.description)
        }
    }

    func similar(_ arguments: [String: Value]) throws -> SearchOutput {
        guard let path = arguments["path"]?.stringValue, !path.isEmpty else { throw ToolFailure(message: "similar needs a \"path\" string.") }
        let line = try arguments["line"].map { _ in try Self.integer(arguments, "line", default: 1, range: 1...Int.max) }
        let real: String
        do { real = try context.library.resolve(path, within: context.roots) } catch { throw ToolFailure(message: "\(error)") }
        let parameters = SimilarParameters(path: real, line: line, limit: try Self.integer(arguments, "limit", default: 10, range: 1...100),
                                           dimensions: nil)
        // Beside a running watcher its vectors answer (this session loads neither model nor vectors).
        if let server = context.server, let answer = server.send(QueryServerClient.request(.similar, library: context.library, similar: parameters)),
           let results = answer.results {
            let status = try context.library.status()
            return SearchOutput(results, query: "", coverage: CoverageRecord(vectors: status.models.first?.vectors ?? 0,
                                                                             chunks: status.distinctChunkContents))
        }
        do {
            return SearchOutput(try context.library.similar(parameters), query: "", coverage: try coverage())
        } catch let error as SimilarError {
            throw ToolFailure(message: error.description)
        }
    }

    func status() throws -> StatusRecord {
        var record = try context.library.statusRecord()
        // With a server, its vectors are the ones searched; the stored count says the same without loading a model here.
        record.vectors = context.server != nil ? record.models.first?.vectors : try context.library.searchableVectors()
        record.embeddingModel = context.embeddingModel
        record.rerankerModel = context.rerankerModel
        record.updating = context.isUpdating()
        return record
    }

    private func coverage() throws -> CoverageRecord {
        let coverage = try context.library.coverage()
        return CoverageRecord(vectors: coverage.vectors, chunks: coverage.chunks)
    }

    static func integer(_ arguments: [String: Value], _ key: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let raw = arguments[key] else { return value }
        let number = raw.intValue ?? raw.doubleValue.flatMap { $0.rounded() == $0 ? Int(exactly: $0) : nil }
        guard let number, range.contains(number) else {
            throw ToolFailure(message: "\"\(key)\" must be a whole number from \(range.lowerBound)\(range.upperBound == Int.max ? " up" : " to \(range.upperBound)").")
        }
        return number
    }
}
