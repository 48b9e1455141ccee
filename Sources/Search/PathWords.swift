import Corpus

/// What a sentence query's words find in a file's name and the folder it sits in: a file named for what the query
/// describes (`basic HTTP authentication middleware` → `middleware/basic_auth.go`; `positional argument validators` →
/// `args.go`) is what its words are about, however few times its text repeats them. The bonus is added to the chunk's
/// score (a share of the best candidate's), so a file whose name says most of the query rises from deep in BM25's
/// list — the file-name column's BM25 weight alone lifts it only as much as one more word of text.
/// Symbol-like queries have their own test (`LexicalRanking.fileNameFactor`: the file named for the symbol).
struct PathWords {
    /// The query's words, and the forms a path word may match them by, as lowercased text.
    private let groups: [(word: String, forms: Set<String>)]
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
            .map { ($0.word, Set($0.variants + [SearchTerms.stem($0.word)])) }
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

    /// The words of a path's file name (before its first dot) and of its folder, split as identifiers, lowercased,
    /// with their stems.
    static func words(ofPath relativePath: String) -> Set<String> {
        let components = relativePath.split(separator: "/")
        guard let name = components.last else { return [] }
        var text = String(name.split(separator: ".", maxSplits: 1).first ?? name)
        if components.count > 1 { text += " " + components[components.count - 2] }
        var words = Set<String>()
        for word in SearchTerms.words(text) {
            for part in [word] + SearchTerms.identifierParts(word) {
                let lower = part.lowercased()
                words.insert(lower)
                words.insert(SearchTerms.stem(lower))
            }
        }
        return words
    }

    /// Whether one word begins the other, the shorter of at least `shortestPrefix` letters (`auth`, `authentication`).
    static func sharesPrefix(_ a: String, _ b: String) -> Bool {
        let (shorter, longer) = a.count <= b.count ? (a, b) : (b, a)
        return shorter.count >= shortestPrefix && longer.hasPrefix(shorter)
    }
}
