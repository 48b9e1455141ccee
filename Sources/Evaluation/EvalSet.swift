import Foundation

/// What one query should find: a file, or lines of it; `grade` is its relevance (1 unless qrels say more).
package struct EvalTarget: Sendable, Equatable {
    /// Relative to the evaluated folder.
    package let path: String
    package let lines: ClosedRange<Int>?
    package let grade: Double
}

/// One labelled query.
package struct EvalQuery: Sendable, Equatable {
    package let id: String
    package let text: String
    package let relevant: [EvalTarget]
    package let category: String?
}

/// Why an evaluation set could not be read: the file, the line and what to fix.
package struct EvalSetError: Error, CustomStringConvertible, Equatable {
    package let description: String
}

/// A folder's labelled queries, in qwery's format (`queries.jsonl` of
/// `{"id", "query", "relevant": ["path" | {"path", "start_line", "end_line"}], "category"?}`) or BEIR's
/// (`corpus.jsonl`, `queries.jsonl`, `qrels/test.tsv`; the corpus is written out as one file a document).
package enum EvalSet {
    /// The queries of a qwery `queries.jsonl`.
    package static func readQueries(_ path: String) throws(EvalSetError) -> [EvalQuery] {
        var queries: [EvalQuery] = []
        var seen = Set<String>()
        for (number, line) in try lines(path) {
            let object = try jsonObject(line, path: path, line: number)
            guard let id = stringOrNumber(object["id"]), !id.isEmpty else { throw problem(path, number, "needs an \"id\" (a string)") }
            guard let text = object["query"] as? String, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw problem(path, number, "needs a \"query\" (a non-empty string)")
            }
            guard let relevant = object["relevant"] as? [Any], !relevant.isEmpty else {
                throw problem(path, number, "needs \"relevant\": a list of paths or {\"path\", \"start_line\", \"end_line\"}")
            }
            var targets: [EvalTarget] = []
            for entry in relevant {
                if let path = entry as? String {
                    targets.append(EvalTarget(path: normalized(path), lines: nil, grade: 1))
                } else if let target = entry as? [String: Any], let targetPath = target["path"] as? String {
                    let start = target["start_line"] as? Int
                    let end = target["end_line"] as? Int ?? start
                    if let start, let end, start < 1 || end < start {
                        throw problem(path, number, "has start_line \(start) and end_line \(end): lines count from 1 and end at or after the start")
                    }
                    let grade = (target["grade"] as? Double) ?? (target["grade"] as? Int).map(Double.init) ?? 1
                    targets.append(EvalTarget(path: normalized(targetPath), lines: start.flatMap { s in end.map { s...$0 } }, grade: grade))
                } else {
                    throw problem(path, number, "has a relevant entry that is neither a path nor an object with \"path\"")
                }
            }
            guard seen.insert(id).inserted else { throw problem(path, number, "repeats the id \(id)") }
            queries.append(EvalQuery(id: id, text: text, relevant: targets, category: object["category"] as? String))
        }
        guard !queries.isEmpty else { throw EvalSetError(description: "\(path) holds no queries.") }
        return queries
    }

    /// Whether `folder` is a BEIR dataset (corpus.jsonl and qrels/test.tsv).
    package static func isBEIR(_ folder: String) -> Bool {
        FileManager.default.fileExists(atPath: folder + "/corpus.jsonl") && FileManager.default.fileExists(atPath: folder + "/qrels/test.tsv")
    }

    /// The file a BEIR document is written to, relative to the documents folder.
    package static func beirDocumentPath(_ id: String) -> String {
        let safe = id.unicodeScalars.map { scalar -> String in
            CharacterSet.alphanumerics.contains(scalar) || "-_.".unicodeScalars.contains(scalar) ? String(scalar) : String(format: "%%%02X", scalar.value)
        }.joined()
        return "docs/" + (safe.hasPrefix(".") ? "%2E" + safe.dropFirst() : safe) + ".txt"
    }

    /// Writes a BEIR corpus as one text file a document (title, blank line, text) under `destination/docs`,
    /// once (kept when already written), and returns the test queries that have judgements.
    package static func materializeBEIR(_ folder: String, into destination: String) throws(EvalSetError) -> [EvalQuery] {
        let docs = destination + "/docs"
        let marker = destination + "/.complete"
        if !FileManager.default.fileExists(atPath: marker) {
            do { try FileManager.default.createDirectory(atPath: docs, withIntermediateDirectories: true) } catch {
                throw EvalSetError(description: "Cannot create \(docs): \(error.localizedDescription).")
            }
            for (number, line) in try lines(folder + "/corpus.jsonl") {
                let object = try jsonObject(line, path: folder + "/corpus.jsonl", line: number)
                guard let id = stringOrNumber(object["_id"]) else { throw problem(folder + "/corpus.jsonl", number, "needs an \"_id\"") }
                let title = object["title"] as? String ?? ""
                let text = object["text"] as? String ?? ""
                let body = title.isEmpty ? text : title + "\n\n" + text
                FileManager.default.createFile(atPath: destination + "/" + beirDocumentPath(id), contents: Data((body + "\n").utf8))
            }
            FileManager.default.createFile(atPath: marker, contents: Data())
        }
        var texts: [String: String] = [:]
        for (number, line) in try lines(folder + "/queries.jsonl") {
            let object = try jsonObject(line, path: folder + "/queries.jsonl", line: number)
            if let id = stringOrNumber(object["_id"]), let text = object["text"] as? String { texts[id] = text }
        }
        var judged: [String: [EvalTarget]] = [:]
        var order: [String] = []
        for (number, line) in try lines(folder + "/qrels/test.tsv") {
            let fields = line.split(separator: "\t").map(String.init)
            guard fields.count >= 3 else { throw problem(folder + "/qrels/test.tsv", number, "needs query-id, corpus-id and score separated by tabs") }
            guard let grade = Double(fields[fields.count - 1]) else {
                if number == 1 { continue }  // the header
                throw problem(folder + "/qrels/test.tsv", number, "has a score that is not a number: \(fields[fields.count - 1])")
            }
            guard grade > 0 else { continue }
            if judged[fields[0]] == nil { order.append(fields[0]) }
            judged[fields[0], default: []].append(EvalTarget(path: beirDocumentPath(fields[fields.count - 2]), lines: nil, grade: grade))
        }
        let queries = order.compactMap { id in texts[id].map { EvalQuery(id: id, text: $0, relevant: judged[id] ?? [], category: nil) } }
        guard !queries.isEmpty else { throw EvalSetError(description: "\(folder): no query of queries.jsonl has a judgement in qrels/test.tsv.") }
        return queries
    }

    // MARK: - Reading

    private static func lines(_ path: String) throws(EvalSetError) -> [(Int, String)] {
        guard let data = FileManager.default.contents(atPath: path) else { throw EvalSetError(description: "Cannot read \(path): no such file, or not readable.") }
        guard let text = String(data: data, encoding: .utf8) else { throw EvalSetError(description: "\(path) is not UTF-8 text.") }
        return text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { index, line in
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed.isEmpty ? nil : (index + 1, trimmed)
        }
    }

    private static func jsonObject(_ line: String, path: String, line number: Int) throws(EvalSetError) -> [String: Any] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw problem(path, number, "is not a JSON object")
        }
        return object
    }

    private static func stringOrNumber(_ value: Any?) -> String? {
        if let string = value as? String { return string }
        if let number = value as? Int { return String(number) }
        return nil
    }

    private static func normalized(_ path: String) -> String {
        var path = path
        while path.hasPrefix("./") { path.removeFirst(2) }
        return path
    }

    private static func problem(_ path: String, _ line: Int, _ message: String) -> EvalSetError {
        EvalSetError(description: "\(path):\(line): this query \(message).")
    }
}
