import Foundation
import Corpus
import Store
import Synchronization

/// The chunks a filtered query may return, worked out before anything is ranked: both the lexical and
/// the vector list are restricted to it, so a filter keeping one file of 20,000 still returns that file's
/// best chunks (filtering the top 50 afterwards would return nothing: ck #111).
///
/// Filters on files (`ext:`, `path:`, `dir:`, `modified:`) keep a set of file ids; the chunk ids (what the
/// lexical list is restricted by) and the content hashes (what the vector scan is) are each worked out once, on
/// first use — the search service keeps a set decided by file while the indexed files stay as they are, so typing
/// with a filter lists them once.
package final class CandidateSet: Sendable {
    /// The files the filters keep.
    package let fileIds: Set<Int64>
    /// Of every indexed file, the share the filters keep (how much of the vector matrix they may keep).
    let fileShare: Double
    /// The chunks kept, when a filter decides chunk by chunk (`sym:`, a phrase, `-word`); nil: every chunk
    /// of `fileIds`.
    let chunkFilter: Set<Int64>?
    private let database: AppDatabase
    private let listedChunkIds = Mutex<Set<Int64>?>(nil)
    private let listedContentHashes = Mutex<Set<Data>?>(nil)

    init(fileIds: Set<Int64>, fileShare: Double = 1, chunkFilter: Set<Int64>?, database: AppDatabase) {
        self.fileIds = fileIds
        self.fileShare = fileShare
        self.chunkFilter = chunkFilter
        self.database = database
    }

    /// Whether the filters decide by file alone.
    var isByFile: Bool { chunkFilter == nil }

    /// Every chunk the filters keep.
    package func chunkIds() throws -> Set<Int64> {
        if let chunkFilter { return chunkFilter }
        if let listed = listedChunkIds.withLock({ $0 }) { return listed }
        let ids = try database.chunkIds(fileIds: Array(fileIds))
        listedChunkIds.withLock { $0 = ids }
        return ids
    }

    /// The content hashes of those chunks (the vector scan's restriction).
    package func contentHashes() throws -> Set<Data> {
        if let listed = listedContentHashes.withLock({ $0 }) { return listed }
        let chunks = try chunkFilter.map { try database.chunkHashes(ids: Array($0)) } ?? database.chunks(fileIds: Array(fileIds))
        let hashes = Set(chunks.map(\.contentHash))
        listedContentHashes.withLock { $0 = hashes }
        return hashes
    }

    /// The candidates of `filters` in `database` (ages like `modified:<7d` were turned into dates by the parser).
    package static func resolve(_ filters: SearchFilters, in database: AppDatabase) throws -> CandidateSet {
        var globs = filters.compiledGlobs
        let indexed = try database.indexedFiles()
        let files = indexed.filter { filters.keeps($0, globs: &globs) }
        let fileIds = Set(files.map(\.id))
        guard !filters.symbols.isEmpty || !filters.phrases.isEmpty || !filters.excludedTerms.isEmpty else {
            return CandidateSet(fileIds: fileIds, fileShare: Double(files.count) / Double(max(1, indexed.count)), chunkFilter: nil,
                                database: database)
        }
        var kept: Set<Int64>
        if !filters.symbols.isEmpty {
            // Only chunks that hold symbols can match: start from those, never from every chunk of the files — and
            // when the patterns name words, from the chunks whose symbols hold them (the index's symbol column):
            // `sym:send` read every symbol of a 55,000-chunk index, 1 s a search.
            let patterns = filters.symbols.map(SymbolPattern.init)
            // A pattern starting with a wildcard (`*send`) names no word; its longest run of text is looked up in the
            // chunks' symbols instead (`sym:*send` tested all 28,000 symbols of a 55,000-chunk index: 440 ms).
            let fragment = patterns.compactMap(\.longestLiteral).max { $0.count < $1.count }
            let symbols = try Self.symbolExpression(patterns).map { expression in
                try database.chunkSymbols(matching: expression, fileIds: fileIds)
            } ?? fragment.map { try database.chunkSymbols(containing: $0, fileIds: fileIds) } ?? database.chunkSymbols(fileIds: files.map(\.id))
            kept = Set(symbols.filter { _, held in patterns.allSatisfy { $0.matches(anyOf: held) } }.keys)
        } else {
            kept = try database.chunkIds(fileIds: files.map(\.id))
        }
        if !filters.phrases.isEmpty || !filters.excludedTerms.isEmpty {
            var required: Set<Int64>?
            for phrase in filters.phrases {
                let matching = try Self.matching(phrase, in: database)
                required = required.map { $0.intersection(matching) } ?? matching
            }
            var excluded = Set<Int64>()
            for term in filters.excludedTerms { excluded.formUnion(try Self.matching(term, in: database)) }
            kept = kept.filter { (required?.contains($0) ?? true) && !excluded.contains($0) }
        }
        return CandidateSet(fileIds: fileIds, chunkFilter: kept, database: database)
    }

    /// An FTS5 expression over the symbol column that every chunk the patterns keep satisfies (the words each
    /// pattern's symbols must hold), nil when no pattern names a word.
    static func symbolExpression(_ patterns: [SymbolPattern]) -> String? {
        let terms = patterns.compactMap(\.indexWords).flatMap { words in
            words.whole.map(LexicalQuery.quoted) + (words.prefix.map { [LexicalQuery.quoted($0) + " *"] } ?? [])
        }
        guard !terms.isEmpty else { return nil }
        return "symbol : (" + terms.joined(separator: " AND ") + ")"
    }

    private static func matching(_ text: String, in database: AppDatabase) throws -> Set<Int64> {
        let quoted = "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        let unsegmented = LexicalSearch.hasUnsegmentedScript(text)
        return try database.chunkIds(matching: quoted, trigram: unsegmented)
    }
}

extension SearchFilters {
    /// Each `path:` glob compiled once, for `keeps`.
    var compiledGlobs: PathGlobs { PathGlobs(pathGlobs) }

    /// Whether a file passes the path, folder, extension and time filters (`globs`: `compiledGlobs`, kept across
    /// the files of one resolution).
    func keeps(_ file: IndexedFileInfo, globs: inout PathGlobs) -> Bool {
        // The cheap tests first, on the path's last component alone: resolving `ext:py` over 8,400 files spent
        // 26 ms splitting every path into components before looking at its extension (perf).
        if !extensions.isEmpty {
            guard extensions.contains(FileKind.fileExtension(ofPath: file.path)) else { return false }
        }
        let modified = Date(timeIntervalSince1970: Double(file.modifiedAt) / 1e9)
        if let modifiedAfter, modified < modifiedAfter { return false }
        if let modifiedBefore, modified > modifiedBefore { return false }
        guard !directories.isEmpty || !pathGlobs.isEmpty else { return true }
        // Byte-wise (a path's separators are ASCII): splitting by Characters and joining components again for every
        // depth cost 27 of the 41 ms a `path:` glob spent over 8,400 files (perf).
        let slash = UInt8(ascii: "/")
        let root = file.root.hasSuffix("/") ? file.root : file.root + "/"
        var relative = file.path.utf8.starts(with: root.utf8) ? file.path.utf8.dropFirst(root.utf8.count) : file.path.utf8[...]
        while relative.first == slash { relative = relative.dropFirst() }
        if !directories.isEmpty {
            var start = relative.startIndex
            var folders: [Substring] = []
            for end in relative.indices where relative[end] == slash {
                folders.append(Substring(file.path[start..<end]))
                start = relative.index(after: end)
            }
            for directory in directories where !folders.contains(where: { $0 == directory }) { return false }
        }
        if !pathGlobs.isEmpty {
            let folderEnd = relative.lastIndex(of: slash) ?? relative.startIndex
            return globs.matchAll(file: String(file.path[relative.startIndex...]), folder: String(file.path[relative.startIndex..<folderEnd]))
        }
        return true
    }
}

/// `path:` globs with gitignore semantics — a pattern matching a folder covers everything below it — and what each
/// decided for every folder seen so far: the files of a folder share its decision, so a glob is tried once per folder
/// and once per file instead of once per folder of every file (18 of a 109 ms `path:requests*/**` query over 8,400
/// files went to trying every folder of every path, perf).
struct PathGlobs {
    private let rules: [IgnoreRules]
    /// Per glob: folder (relative to its root) → whether it or a folder above it matches.
    private var folderDecisions: [[String: Bool]]

    init(_ globs: [String]) {
        rules = globs.map { glob in
            var rules = IgnoreRules()
            rules.add(pattern: glob)
            return rules
        }
        folderDecisions = Array(repeating: [:], count: rules.count)
    }

    /// Whether every glob matches a file (its path relative to its root) in `folder` ("" at the root).
    mutating func matchAll(file: String, folder: String) -> Bool {
        rules.indices.allSatisfy { rule in
            folderMatches(folder, rule: rule) || rules[rule].decision(for: file, isDirectory: false) == true
        }
    }

    private mutating func folderMatches(_ folder: String, rule: Int) -> Bool {
        guard !folder.isEmpty else { return false }
        if let known = folderDecisions[rule][folder] { return known }
        let parent = folder.utf8.lastIndex(of: UInt8(ascii: "/")).map { String(folder[..<$0]) } ?? ""
        let matches = folderMatches(parent, rule: rule) || rules[rule].decision(for: folder, isDirectory: true) == true
        folderDecisions[rule][folder] = matches
        return matches
    }
}
