import Foundation

/// The words lexical search indexes and looks for, beyond what SQLite's `unicode61` tokenizer sees.
///
/// `unicode61` splits text at white space and punctuation (so `snake_case` and `a.b` are already two
/// words) but keeps `HttpRedirect`, `safeParse` and `utf8Decode` whole, and never relates `redirects` to
/// `redirect`. Index and query run through the same rules here, so they always agree:
/// - an identifier's parts (`HttpRedirect` → `http redirect`, `XMLHttpRequest` → `xml http request`,
///   `utf8Decode` → `utf8 decode`) are *added*, the whole identifier stays;
/// - each word's light English stem (`redirects`, `redirected`, `redirecting` → `redirect`) is *added*;
/// - common code abbreviations are related both ways (`authentication` ↔ `auth`).
public enum SearchTerms {
    /// Words as `unicode61` cuts them (letters and digits; everything else separates), original case.
    public static func words(_ text: some StringProtocol) -> [Substring] {
        var words: [Substring] = []
        var start: String.Index?
        var index = text.startIndex
        let whole = Substring(text)
        while index < whole.endIndex {
            let character = whole[index]
            let isWordCharacter = character.isLetter || character.isNumber
            if isWordCharacter, start == nil { start = index }
            if !isWordCharacter, let begun = start {
                words.append(whole[begun..<index])
                start = nil
            }
            index = whole.index(after: index)
        }
        if let begun = start { words.append(whole[begun..<whole.endIndex]) }
        return words
    }

    /// The parts of an identifier at case and digit boundaries, lowercased; empty when it has one part.
    /// `HttpRedirect` → [http, redirect]; `XMLHttpRequest` → [xml, http, request]; `utf8Decode` → [utf8, decode].
    public static func identifierParts(_ word: some StringProtocol) -> [String] {
        let characters = Array(word)
        guard characters.count > 2 else { return [] }
        var parts: [String] = []
        var current = ""
        for (offset, character) in characters.enumerated() {
            if offset > 0, character.isUppercase, !current.isEmpty {
                let previous = characters[offset - 1]
                let next = offset + 1 < characters.count ? characters[offset + 1] : nil
                // aB and 8B → a|B; ABc → A|Bc (the last capital of a run starts the next word).
                if previous.isLowercase || previous.isNumber || (previous.isUppercase && next?.isLowercase == true) {
                    parts.append(current.lowercased())
                    current = ""
                }
            }
            current.append(character)
        }
        if !current.isEmpty { parts.append(current.lowercased()) }
        return parts.count > 1 ? parts : []
    }

    /// A light English stem: plural, -ing, -ed, -er, -ion, -ation, -ment, -ly, -ity … and a final e
    /// removed, so every form of a word meets at one stem (`parse`, `parses`, `parsed`, `parsing`,
    /// `parser` → `pars`). Only ever an *added* term: the word itself is always indexed and searched.
    /// Words of digits, or shorter than four letters, are their own stem.
    public static func stem(_ word: String) -> String {
        var w = word.lowercased()
        guard w.count >= 4, w.unicodeScalars.allSatisfy({ $0.isASCII && $0.properties.isAlphabetic }) else { return w }
        func strip(_ suffix: String, minimumStem: Int = 3) -> Bool {
            guard w.hasSuffix(suffix), w.count - suffix.count >= minimumStem else { return false }
            w.removeLast(suffix.count)
            return true
        }
        // Plurals first: -ies → y, -sses → ss, -s (not -ss, -us, -is).
        if w.hasSuffix("ies"), w.count > 4 { w.removeLast(3); w += "y" }
        else if w.hasSuffix("sses") { w.removeLast(2) }
        else if w.hasSuffix("s"), !w.hasSuffix("ss"), !w.hasSuffix("us"), !w.hasSuffix("is"), w.count > 3 { w.removeLast() }
        // One derivational or inflectional suffix, longest first.
        for suffix in ["izations", "ization", "ations", "ation", "ators", "ator", "ments", "ment", "ness", "ities", "ity",
                       "ings", "ing", "ions", "ion", "ers", "er", "ed", "ly", "able", "ible", "ize", "ise", "ate", "al", "ive"] {
            if strip(suffix) { break }
        }
        // Doubled final consonant (running → runn → run), then a final e (parse → pars).
        if let last = w.last, w.count > 3, w.dropLast().last == last, !"lsz".contains(last), !"aeiou".contains(last) { w.removeLast() }
        if w.hasSuffix("e"), w.count > 3 { w.removeLast() }
        if w.hasSuffix("y"), w.count > 3 { w.removeLast(); w += "i" }
        return w
    }

    /// Short forms programmers write for common words, related both ways at search time.
    public static let abbreviations: [String: [String]] = {
        let pairs: [(String, [String])] = [
            ("auth", ["authentication", "authenticate", "authorization", "authorize"]),
            ("config", ["configuration", "configure"]), ("cfg", ["configuration", "config"]), ("conf", ["configuration", "config"]),
            ("init", ["initialize", "initialise", "initialization"]), ("alloc", ["allocate", "allocation", "allocator"]),
            ("impl", ["implementation", "implement"]), ("ctx", ["context"]), ("err", ["error"]), ("msg", ["message"]),
            ("req", ["request"]), ("resp", ["response"]), ("res", ["response", "result"]), ("str", ["string"]),
            ("num", ["number"]), ("len", ["length"]), ("idx", ["index"]), ("db", ["database"]), ("dir", ["directory"]),
            ("env", ["environment"]), ("arg", ["argument"]), ("args", ["arguments"]), ("param", ["parameter"]),
            ("params", ["parameters"]), ("attr", ["attribute"]), ("attrs", ["attributes"]), ("val", ["value"]),
            ("fn", ["function"]), ("func", ["function"]), ("iter", ["iterator", "iterate"]), ("buf", ["buffer"]),
            ("exc", ["exception"]), ("cb", ["callback"]), ("tmp", ["temporary"]), ("src", ["source"]),
            ("dst", ["destination"]), ("dest", ["destination"]), ("util", ["utility", "utilities"]), ("utils", ["utilities"]),
            ("repr", ["representation"]), ("spec", ["specification"]), ("sync", ["synchronize", "synchronous"]),
            ("async", ["asynchronous"]), ("mut", ["mutable"]), ("ptr", ["pointer"]), ("ref", ["reference"]),
            ("decl", ["declaration"]), ("def", ["definition", "define"]), ("proto", ["protocol"]), ("pkg", ["package"]),
            ("lib", ["library"]), ("doc", ["document", "documentation"]), ("docs", ["documentation"]),
            ("max", ["maximum"]), ("min", ["minimum"]), ("opt", ["option", "optional"]), ("opts", ["options"]),
            ("prev", ["previous"]), ("cur", ["current"]), ("char", ["character"]), ("dict", ["dictionary"]),
            ("obj", ["object"]), ("addr", ["address"]), ("conn", ["connection"]), ("sock", ["socket"]),
            ("regex", ["regular expression"]), ("http", ["hypertext"]), ("ws", ["websocket"]), ("tls", ["ssl"]),
            ("gc", ["garbage"]), ("os", ["operating"]), ("fs", ["filesystem"]), ("io", ["input", "output"]),
        ]
        var map: [String: [String]] = [:]
        for (short, longs) in pairs {
            map[short, default: []] += longs.filter { !$0.contains(" ") }
            for long in longs where !long.contains(" ") { map[long, default: []].append(short) }
        }
        return map
    }()

    /// English words too common to search for on their own ("how does the parser handle …").
    public static let stopWords: Set<String> = [
        "a", "an", "and", "are", "as", "at", "be", "been", "by", "can", "could", "did", "do", "does", "doing", "for",
        "from", "had", "has", "have", "how", "i", "if", "in", "into", "is", "it", "its", "me", "my", "of", "on", "or",
        "our", "should", "so", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this",
        "those", "to", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will",
        "with", "would", "you", "your", "get", "gets", "use", "used", "uses", "using", "way", "code", "find", "show",
        "some", "any", "all", "each", "other", "about", "there", "here", "via", "one", "also", "just", "like",
        "make", "makes", "work", "works", "happen", "happens", "implemented", "implement", "handled", "defined", "done",
    ]

    /// The extra words indexed beside `text`: each identifier's parts and each word's stem when they differ
    /// from the word, space-separated (each once per text).
    public static func indexedVariants(_ text: some StringProtocol) -> String {
        var seen = Set<String>()
        var out: [String] = []
        func add(_ term: String) {
            if seen.insert(term).inserted { out.append(term) }
        }
        for word in words(text) {
            let lower = word.lowercased()
            let parts = identifierParts(word)
            for part in parts { add(part) }
            for piece in parts.isEmpty ? [lower] : parts + [lower] {
                let stemmed = stem(piece)
                if stemmed != piece { add(stemmed) }
            }
        }
        return out.joined(separator: " ")
    }

    /// A relative path's words for the index: each component's words and their identifier parts, so
    /// `src/HttpRedirect.kt` is found by `http`, `redirect` and `httpredirect`.
    public static func pathWords(_ path: some StringProtocol) -> String {
        let base = words(path).map { $0.lowercased() }
        return (base + [indexedVariants(path)]).joined(separator: " ")
    }
}
