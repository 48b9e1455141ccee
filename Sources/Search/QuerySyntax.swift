import Foundation

/// What a query keeps out before anything is ranked: the filters of the query syntax.
package struct SearchFilters: Sendable, Equatable {
    /// `path:GLOB`, gitignore-style, against the path relative to its indexed folder (a match on a folder
    /// keeps everything under it).
    package var pathGlobs: [String] = []
    /// `dir:NAME`: a folder of that name somewhere in the path.
    package var directories: [String] = []
    /// `ext:md,py` and `lang:swift` (through the chunker's extension map), lowercased, without dots.
    package var extensions: [String] = []
    /// `-word`: chunks with the term are left out.
    package var excludedTerms: [String] = []
    /// `"exact phrase"`: only chunks with the phrase.
    package var phrases: [String] = []
    /// `sym:GLOB`: chunks whose symbol matches (case-insensitive), by its own name or its whole path.
    package var symbols: [String] = []
    /// `modified:<7d` (newer than 7 days), `modified:>2026-01-01` (after that day) and their opposites.
    package var modifiedAfter: Date?
    package var modifiedBefore: Date?

    package init() {}

    package var isEmpty: Bool { self == SearchFilters() }

    /// The filters as the query line shows them, e.g. `ext:md  -draft  "budget plan"`.
    package var summary: [String] {
        var parts = pathGlobs.map { "path:" + $0 } + directories.map { "dir:" + $0 }
        if !extensions.isEmpty { parts.append("ext:" + extensions.joined(separator: ",")) }
        parts += symbols.map { "sym:" + $0 }
        parts += phrases.map { "\"\($0)\"" } + excludedTerms.map { "-" + $0 }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        if let modifiedAfter { parts.append("modified after " + day.string(from: modifiedAfter)) }
        if let modifiedBefore { parts.append("modified before " + day.string(from: modifiedBefore)) }
        return parts
    }
}

/// A query split into the words that are ranked and the filters that restrict what is ranked.
package struct ParsedQuery: Sendable, Equatable {
    /// The words (phrases included) that lexical and semantic search rank by.
    package var text: String
    package var filters: SearchFilters
    /// `similar:PATH[:LINE]`: "more like this" from stored vectors instead of the words (the screen's F6).
    package var similarTo: SimilarSource?
}

/// The chunk (or whole file) a `similar:` query starts from.
package struct SimilarSource: Sendable, Equatable {
    package let path: String
    package let line: Int?

    /// `PATH` or `PATH:LINE`.
    package init(_ value: String) {
        if let colon = value.lastIndex(of: ":"), let number = Int(value[value.index(after: colon)...]), number > 0 {
            path = String(value[..<colon])
            line = number
        } else {
            path = value
            line = nil
        }
    }
}

/// Bad query syntax: what is wrong, at which character (1-based), and the right form.
package struct QuerySyntaxError: Error, Equatable, CustomStringConvertible {
    package let position: Int
    package let message: String

    package var description: String { "Query, character \(position): \(message)" }
}

/// The one query parser of the screen, `qwery search` and MCP: free words, plus
/// `path:GLOB`, `dir:NAME`, `ext:md,py`, `lang:swift`, `sym:GLOB`, `-word`, `"exact phrase"`, `modified:<7d`,
/// `modified:>2026-01-01`. Words of the form `key:value` with another key (a URL, `TODO:`) stay words.
package enum QuerySyntax {
    /// The longest query read: past it nothing changes the ranking (FTS5 keeps 32 terms, and a query
    /// embedding of a page of text is not a search), so a longer one is an error, not silently cut.
    package static let maximumLength = 20_000

    package static func parse(_ input: String, now: Date = Date()) throws(QuerySyntaxError) -> ParsedQuery {
        guard input.count <= maximumLength else {
            throw QuerySyntaxError(position: maximumLength + 1,
                                   message: "queries are at most \(maximumLength.formatted()) characters; this one has \(input.count.formatted()). Keep the words that matter.")
        }
        var filters = SearchFilters()
        var words: [String] = []
        var similarTo: SimilarSource?
        // Control characters (a NUL from an agent, an escape pasted in) mean nothing in a query and must not
        // reach FTS5, which stops at a NUL ("unterminated string"): they separate words like spaces.
        let characters = input.map { character in
            character.unicodeScalars.allSatisfy { $0.properties.generalCategory == .control } && !character.isWhitespace ? " " : character
        }
        var index = 0
        while index < characters.count {
            if characters[index].isWhitespace { index += 1; continue }
            let start = index
            if characters[index] == "\"" {
                // A quote not closed yet (the user is still typing the phrase) runs to the end of the query.
                let close = characters[(index + 1)...].firstIndex(of: "\"") ?? characters.count
                let phrase = String(characters[(index + 1)..<close]).trimmingCharacters(in: .whitespaces)
                if !phrase.isEmpty {
                    filters.phrases.append(phrase)
                    words.append(phrase)
                }
                index = min(close + 1, characters.count)
                continue
            }
            while index < characters.count && !characters[index].isWhitespace { index += 1 }
            let token = String(characters[start..<index])
            if token.lowercased().hasPrefix("similar:"), token.count > "similar:".count {
                similarTo = SimilarSource(String(token.dropFirst("similar:".count)))
                continue
            }
            if try !apply(token, position: start + 1, to: &filters, now: now) { words.append(token) }
        }
        return ParsedQuery(text: words.joined(separator: " "), filters: filters, similarTo: similarTo)
    }

    /// Applies one `key:value` or `-word` token; false when it is an ordinary word.
    private static func apply(_ token: String, position: Int, to filters: inout SearchFilters, now: Date) throws(QuerySyntaxError) -> Bool {
        if token.hasPrefix("-"), token.count > 1, token.dropFirst().first?.isLetter == true || token.dropFirst().first?.isNumber == true {
            filters.excludedTerms.append(String(token.dropFirst()).lowercased())
            return true
        }
        guard let colon = token.firstIndex(of: ":") else { return false }
        let key = token[..<colon].lowercased()
        let value = String(token[token.index(after: colon)...])
        guard ["path", "dir", "ext", "lang", "modified", "sym"].contains(key) else { return false }
        guard !value.isEmpty else {
            throw QuerySyntaxError(position: position, message: "\(key): needs a value, e.g. \(example(key)).")
        }
        switch key {
        case "path": filters.pathGlobs.append(value)
        case "sym": filters.symbols.append(value.lowercased())
        case "dir": filters.directories.append(value.trimmingCharacters(in: CharacterSet(charactersIn: "/")))
        case "ext":
            filters.extensions += value.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: ".")).lowercased() }
        case "lang":
            for name in value.split(separator: ",").map({ $0.lowercased() }) {
                guard let extensions = languages[name] else {
                    throw QuerySyntaxError(position: position, message: "unknown language \(name); known: \(languages.keys.sorted().joined(separator: ", ")).")
                }
                filters.extensions += extensions
            }
        default:
            try applyModified(value, position: position, to: &filters, now: now)
        }
        return true
    }

    private static func applyModified(_ value: String, position: Int, to filters: inout SearchFilters, now: Date) throws(QuerySyntaxError) {
        guard let comparison = value.first, comparison == "<" || comparison == ">" else {
            throw QuerySyntaxError(position: position, message: "modified: takes < or > then an age or a date, e.g. modified:<7d or modified:>2026-01-01.")
        }
        let amount = String(value.dropFirst())
        guard !amount.isEmpty else {
            throw QuerySyntaxError(position: position, message: "modified:\(comparison) needs an age or a date after the \(comparison), e.g. modified:\(comparison)7d or modified:\(comparison)2026-01-01.")
        }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        if let date = day.date(from: amount) {
            // The formatter rolls 2026-02-30 over to March 2: a date must read back as written.
            guard day.string(from: date) == amount else {
                throw QuerySyntaxError(position: position + 10, message: "\(amount) is not a date of the calendar (check the day of the month).")
            }
            if comparison == ">" { filters.modifiedAfter = date } else { filters.modifiedBefore = date }
            return
        }
        let units: [Character: Double] = ["h": 3600, "d": 86_400, "w": 604_800, "m": 2_592_000, "y": 31_536_000]
        guard let unit = amount.last, let seconds = units[unit], let count = Double(amount.dropLast()), count >= 0 else {
            throw QuerySyntaxError(position: position + 10, message: "\(amount) is neither an age (7d, 12h, 2w, 3m, 1y) nor a date (2026-01-01).")
        }
        // An age: "<7d" is newer than 7 days ago, ">7d" older.
        let boundary = now.addingTimeInterval(-count * seconds)
        if comparison == "<" { filters.modifiedAfter = boundary } else { filters.modifiedBefore = boundary }
    }

    private static func example(_ key: String) -> String {
        ["path": "path:notes/**", "dir": "dir:journal", "ext": "ext:md,py", "lang": "lang:swift", "modified": "modified:<7d",
         "sym": "sym:reconcile or sym:Ledger.*"][key] ?? key
    }

    /// `lang:` names and their extensions.
    static let languages: [String: [String]] = [
        "swift": ["swift"], "python": ["py", "pyi"], "javascript": ["js", "jsx", "mjs", "cjs"], "typescript": ["ts", "tsx", "mts", "cts"], "tsx": ["tsx"],
        "go": ["go"], "rust": ["rs"], "c": ["c", "h"], "cpp": ["cc", "cpp", "cxx", "hpp", "hh", "h"], "java": ["java"],
        "kotlin": ["kt", "kts"], "ruby": ["rb"], "php": ["php"], "shell": ["sh", "bash", "zsh", "fish"], "lua": ["lua"],
        "sql": ["sql"], "markdown": ["md", "markdown", "mdx"], "text": ["txt"], "haskell": ["hs"], "scala": ["scala"],
        "csharp": ["cs"], "elixir": ["ex", "exs"], "dart": ["dart"], "zig": ["zig"], "julia": ["jl"], "r": ["r"],
        "json": ["json"], "yaml": ["yaml", "yml"], "toml": ["toml"], "cython": ["pyx", "pxd", "pxi"], "clojure": ["clj", "cljs", "cljc"],
        "erlang": ["erl", "hrl"], "ocaml": ["ml", "mli"], "fsharp": ["fs", "fsi", "fsx"], "fortran": ["f90", "f95", "f03", "f08"],
        "nim": ["nim"], "crystal": ["cr"], "elm": ["elm"], "nix": ["nix"], "terraform": ["tf", "hcl"], "cuda": ["cu", "cuh"],
        "solidity": ["sol"], "perl": ["pl", "pm"],
    ]
}
