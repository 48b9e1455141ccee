import Corpus

/// What a sentence query's words find in a file's name and the folder it sits in: a file named for what the query
/// describes (`basic HTTP authentication middleware` → `middleware/basic_auth.go`; `positional argument validators` →
/// `args.go`) is what its words are about, however few times its text repeats them. The bonus is added to the chunk's
/// score (a share of the best candidate's), so a file whose name says most of the query rises from deep in BM25's
/// list — the file-name column's BM25 weight alone lifts it only as much as one more word of text.
/// Symbol-like queries have their own test (`LexicalRanking.fileNameFactor`: the file named for the symbol).
struct PathWords {
    /// The query's words as UTF-8, and the forms a path word may match them by (`LexicalQuery.Group.variantBytes`).
    private let groups: [(word: [UInt8], forms: Set<[UInt8]>)]
    private let boost: Double

    /// A match by a shared start needs the shorter word to have at least this many letters (`api` begins `apis`; a
    /// two-letter start such as `co` would match half a code base), and shorter query words count for nothing.
    static let shortestPrefix = 3

    init(query: LexicalQuery, boost: Double) {
        self.boost = boost
        guard boost > 0, !query.isSymbolLike else {
            groups = []
            return
        }
        groups = query.groups.filter { !$0.isStopWord && $0.word.count >= Self.shortestPrefix }
            .map { (Array($0.word.utf8), Set($0.variantBytes)) }
    }

    /// The bonus of a file at `relativePath`: `boost` times the share of the query's words its name and folder hold.
    func bonus(_ relativePath: String) -> Double {
        guard !groups.isEmpty else { return 0 }
        let words = Self.words(ofPath: relativePath)
        guard !words.isEmpty else { return 0 }
        let found = groups.filter { group in
            words.contains { word in group.forms.contains(word) || Self.sharesPrefix(group.word, word) }
        }.count
        return boost * Double(found) / Double(groups.count)
    }

    /// The forms of a path's file name (before its first dot) and of its folder, as the index holds a text's words:
    /// each lowercased, its identifier parts and their stems (`SearchTerms.indexedForms`).
    static func words(ofPath relativePath: String) -> Set<[UInt8]> {
        let components = relativePath.split(separator: "/")
        guard let name = components.last else { return [] }
        var text = String(name.split(separator: ".", maxSplits: 1).first ?? name)
        if components.count > 1 { text += " " + components[components.count - 2] }
        return SearchTerms.indexedForms([text])
    }

    /// Whether one word begins the other, the shorter of at least `shortestPrefix` letters (`auth`, `authentication`).
    static func sharesPrefix(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        let (shorter, longer) = a.count <= b.count ? (a, b) : (b, a)
        return longer.starts(with: shorter) && String(decoding: shorter, as: UTF8.self).count >= shortestPrefix
    }
}
