import Corpus
import Foundation

/// A query's words as lexical search reads them, worked out once per query.
///
/// Each word the user typed becomes a *group*: the word and its added variants (stem, identifier parts,
/// abbreviations), any of which may match. Stop words are dropped unless the query has nothing else.
/// `isSymbolLike` tells a name (`Request`, `Sinatra::Base`, `safeParse`, `HTTPDigestAuth`) from a
/// sentence ("retry a request when the connection drops"): it sets how much a definition of the name
/// counts, and the weight of the lexical list in fusion.
package struct LexicalQuery: Sendable, Equatable {
    package struct Group: Sendable, Equatable {
        /// The word as typed, lowercased.
        package let word: String
        /// Terms any of which matches the group (the word first), lowercased.
        package let variants: [String]
        /// Whether the word is written like an identifier (`camelCase`, `snake_case`, `a.b`, `A::B`).
        package let isIdentifier: Bool
        /// A stop word of a sentence ("how", "the"); never one inside an identifier (`get_app_dir`).
        package let isStopWord: Bool
        /// The variants' UTF-8 bytes, and the word's stem, as coverage compares them with a chunk's forms.
        let variantBytes: [[UInt8]]

        init(word: String, variants: [String], isIdentifier: Bool, isStopWord: Bool) {
            self.word = word
            self.variants = variants
            self.isIdentifier = isIdentifier
            self.isStopWord = isStopWord
            variantBytes = variants.map { Array($0.utf8) } + [Array(SearchTerms.stem(word).utf8)]
        }
    }

    package let groups: [Group]
    /// Names to look for among the chunks' definitions: identifier-shaped words, or every word of a
    /// symbol-like query; lowercased, qualified names kept whole too (`sinatra::base`).
    package let names: [String]
    /// Each name's last word, as UTF-8: what a chunk's symbols must hold for it to define any name (a pre-check ranking
    /// makes for every candidate).
    let nameTails: [[UInt8]]
    package let isSymbolLike: Bool
    /// The last word, matched as a prefix while the user is still typing it (the screen only).
    package let prefix: String?
    /// Words that belong together, searched as FTS5 phrases beside the single words: a qualified or
    /// snake_case identifier (`get_app_dir`, `Sinatra::Base`).
    package let phrases: [[String]]

    /// At most this many words go to FTS5: BM25 over a pasted page of repeated words was quadratic (a
    /// 1,000-word query took 70 s on 20,000 chunks). The longest words are kept, as the likely rarest.
    static let maximumWords = 32
    /// A prefix shorter than this is matched as a whole word: a one- or two-letter prefix matches most of
    /// an index, and the next keystroke comes in a moment anyway.
    static let minimumPrefix = 3

    /// Analyses `text` (the query without its filters); `typing` when the last word may be incomplete.
    package init(_ text: String, typing: Bool = false, expands: Bool = true, phrases usesPhrases: Bool = true) {
        let folded = text.precomposedStringWithCompatibilityMapping
        let tokens = folded.split(whereSeparator: { $0.isWhitespace }).map(String.init)
        var seen = Set<String>()
        var groups: [Group] = []
        var names: [String] = []
        var identifierTokens = 0
        var phrases: [[String]] = []
        for token in tokens {
            let words = SearchTerms.words(token)
            guard !words.isEmpty else { continue }
            let tokenIsIdentifier = Self.looksLikeIdentifier(token)
            if tokenIsIdentifier {
                identifierTokens += 1
                if words.count > 1 {
                    names.append(words.map { $0.lowercased() }.joined(separator: "."))
                    phrases.append(words.map { $0.lowercased() })
                }
                if let last = words.last { names.append(last.lowercased()) }
            }
            for word in words {
                let lower = word.lowercased()
                guard seen.insert(lower).inserted else { continue }
                groups.append(Group(word: lower, variants: expands ? Self.variants(of: word) : [lower],
                                    isIdentifier: tokenIsIdentifier || Self.looksLikeIdentifier(word), isStopWord: !tokenIsIdentifier && SearchTerms.stopWords.contains(lower)))
            }
        }
        // A sentence's neighbouring words as phrases were measured too (`qwery eval`, development set): +0.002
        // on behaviour queries, −0.048 on architecture ones, +15% time; left out.
        self.phrases = usesPhrases ? Array(phrases.prefix(Self.maximumWords)) : []
        let content = groups.filter { !$0.isStopWord }
        var kept = content.isEmpty ? groups : content
        if kept.count > Self.maximumWords {
            let chosen = Set(kept.indices.sorted { kept[$0].word.count > kept[$1].word.count || (kept[$0].word.count == kept[$1].word.count && $0 < $1) }
                .prefix(Self.maximumWords))
            kept = kept.indices.filter(chosen.contains).map { kept[$0] }
        }
        self.groups = kept
        // A name: one or two words with no stop word among them, or identifier-shaped tokens only.
        let symbolLike = !kept.isEmpty && content.count == groups.count
            && (tokens.count == 1 || (tokens.count <= 3 && identifierTokens == tokens.count) || (tokens.count == 2 && identifierTokens >= 1))
        isSymbolLike = symbolLike
        if symbolLike {
            for group in kept where !names.contains(group.word) { names.append(group.word) }
            if tokens.count > 1, identifierTokens == 0 { names.append(kept.map(\.word).joined()) }
        }
        self.names = names
        nameTails = names.map { SearchTerms.words($0).last.map { Array($0.utf8) } ?? [] }
        let last = tokens.last.flatMap { SearchTerms.words($0).last }.map { $0.lowercased() }
        prefix = typing && !(text.last?.isWhitespace ?? true) ? last.flatMap { $0.count >= Self.minimumPrefix ? $0 : nil } : nil
    }

    package var isEmpty: Bool { groups.isEmpty }

    /// The word, its stem, its identifier parts and their stems, and related abbreviations.
    static func variants(of word: String) -> [String] {
        let lower = word.lowercased()
        var variants = [lower]
        func add(_ term: String) {
            if !term.isEmpty, !variants.contains(term) { variants.append(term) }
        }
        let parts = SearchTerms.identifierParts(word)
        for part in parts { add(part) }
        add(SearchTerms.stem(lower))
        for related in SearchTerms.abbreviations[lower] ?? [] { add(related) }
        return variants
    }

    /// `camelCase`, `PascalCase` with an inner capital, `snake_case`, `kebab-case`, `a.b`, `A::B`, `f()`.
    static func looksLikeIdentifier(_ token: String) -> Bool {
        if token.contains("_") || token.contains("::") || token.hasSuffix("()") { return true }
        let words = SearchTerms.words(token)
        if words.count > 1, token.contains(".") || token.contains("-") || token.contains("#") || token.contains("/") {
            return !token.hasSuffix(".") && !token.contains(" ")
        }
        guard let word = words.first, words.count == 1 else { return false }
        return !SearchTerms.identifierParts(word).isEmpty
    }

    /// The FTS5 expression: every variant of every group, OR'd (BM25 sums what matches); the prefix while typing.
    var matchExpression: String {
        var terms: [String] = []
        for group in groups { terms += group.variants.map(Self.quoted) }
        for phrase in phrases { terms.append(Self.quoted(phrase.joined(separator: " "))) }
        if let prefix { terms.append(Self.quoted(prefix) + " *") }
        return terms.joined(separator: " OR ")
    }

    /// The groups' words joined, for the trigram index (text without spaces between words).
    var words: [String] { groups.map(\.word) }

    static func quoted(_ term: String) -> String {
        "\"" + term.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
