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
package enum SearchTerms {
    // Everything below works on UTF-8 bytes: Swift's `Character` properties (grapheme breaking, Unicode
    // tables) made ranking 200 candidates cost 90 ms a query (perf: 22% in getBinaryProperties alone).
    // A byte of 0x80 or more is part of a word (letters of other scripts, accents); ASCII letters and digits
    // are; every other ASCII byte separates — as `unicode61` cuts ASCII text.

    /// Whether a UTF-8 byte belongs to a word.
    @usableFromInline @inline(__always) static func isWordByte(_ byte: UInt8) -> Bool {
        byte >= 0x80 || (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
    }

    /// Calls `body` with the text's bytes and each word's range in them (as `wordBytes` cuts words), in order, until it
    /// returns false — in place: no array of slices, no retain per word (what re-ranking's coverage test reads for
    /// 200 candidates a query).
    @inlinable package static func forEachWord(in text: String, _ body: (UnsafeBufferPointer<UInt8>, Range<Int>) -> Bool) {
        var text = text
        text.withUTF8 { bytes in
            var index = 0
            while index < bytes.count {
                while index < bytes.count && !isWordByte(bytes[index]) { index += 1 }
                let start = index
                while index < bytes.count && isWordByte(bytes[index]) { index += 1 }
                if index > start && !body(bytes, start..<index) { return }
            }
        }
    }

    /// Words (original case) as byte slices of one array.
    static func wordBytes(_ text: some StringProtocol) -> [ArraySlice<UInt8>] {
        let bytes = Array(text.utf8)
        var words: [ArraySlice<UInt8>] = []
        var start = -1
        for index in bytes.indices {
            if isWordByte(bytes[index]) {
                if start < 0 { start = index }
            } else if start >= 0 {
                words.append(bytes[start..<index])
                start = -1
            }
        }
        if start >= 0 { words.append(bytes[start..<bytes.count]) }
        return words
    }

    /// Words as `unicode61` cuts them (letters and digits; everything else separates), original case.
    package static func words(_ text: some StringProtocol) -> [String] {
        wordBytes(text).map { String(decoding: $0, as: UTF8.self) }
    }

    @inline(__always) static func lowered(_ word: ArraySlice<UInt8>) -> [UInt8] {
        word.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
    }

    /// The parts of an identifier at case and digit boundaries, lowercased; empty when it has one part.
    /// `HttpRedirect` → [http, redirect]; `XMLHttpRequest` → [xml, http, request]; `utf8Decode` → [utf8, decode].
    package static func identifierParts(_ word: some StringProtocol) -> [String] {
        partBytes(Array(word.utf8)[...]).map { String(decoding: $0, as: UTF8.self) }
    }

    static func partBytes(_ word: ArraySlice<UInt8>) -> [[UInt8]] {
        guard word.count > 2 else { return [] }
        @inline(__always) func isUpper(_ b: UInt8) -> Bool { b >= 0x41 && b <= 0x5A }
        @inline(__always) func isLower(_ b: UInt8) -> Bool { b >= 0x61 && b <= 0x7A }
        @inline(__always) func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        var parts: [[UInt8]] = []
        var current: [UInt8] = []
        let bytes = Array(word)
        for (offset, byte) in bytes.enumerated() {
            if offset > 0, isUpper(byte), !current.isEmpty {
                let previous = bytes[offset - 1]
                let next: UInt8? = offset + 1 < bytes.count ? bytes[offset + 1] : nil
                // aB and 8B → a|B; ABc → A|Bc (the last capital of a run starts the next word).
                if isLower(previous) || isDigit(previous) || (isUpper(previous) && next.map(isLower) == true) {
                    parts.append(current)
                    current = []
                }
            }
            current.append(isUpper(byte) ? byte | 0x20 : byte)
        }
        if !current.isEmpty { parts.append(current) }
        return parts.count > 1 ? parts : []
    }

    /// A light English stem: plural, -ing, -ed, -er, -ion, -ation, -ment, -ly, -ity … and a final e
    /// removed, so every form of a word meets at one stem (`parse`, `parses`, `parsed`, `parsing`,
    /// `parser` → `pars`). Only ever an *added* term: the word itself is always indexed and searched.
    /// Words with digits or other scripts, or shorter than four letters, are their own stem.
    package static func stem(_ word: String) -> String {
        String(decoding: stemBytes(lowered(Array(word.utf8)[...])), as: UTF8.self)
    }

    private static let suffixes: [[UInt8]] = ["izations", "ization", "ations", "ation", "ators", "ator", "ments", "ment", "ness",
                                              "ities", "ity", "ings", "ing", "ions", "ion", "ers", "er", "ed", "ly", "able", "ible",
                                              "ize", "ise", "ate", "al", "ive"].map { Array($0.utf8) }

    /// `stem` of a lowercased word's bytes.
    static func stemBytes(_ lower: [UInt8]) -> [UInt8] {
        var w = lower
        guard w.count >= 4, w.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A }) else { return w }
        func ends(_ suffix: [UInt8]) -> Bool {
            w.count >= suffix.count && w[(w.count - suffix.count)...].elementsEqual(suffix)
        }
        let s = UInt8(ascii: "s"), e = UInt8(ascii: "e"), y = UInt8(ascii: "y"), i = UInt8(ascii: "i"), u = UInt8(ascii: "u")
        // Plurals first: -ies → y, -sses → ss, -s (not -ss, -us, -is).
        if ends([i, e, s]), w.count > 4 {
            w.removeLast(3)
            w.append(y)
        } else if ends([s, s, e, s]) {
            w.removeLast(2)
        } else if w.last == s, !ends([s, s]), !ends([u, s]), !ends([i, s]), w.count > 3 {
            w.removeLast()
        }
        // One derivational or inflectional suffix, longest first.
        for suffix in suffixes where ends(suffix) && w.count - suffix.count >= 3 {
            w.removeLast(suffix.count)
            break
        }
        // Doubled final consonant (running → runn → run), then a final e (parse → pars), y → i.
        if w.count > 3, let last = w.last, w[w.count - 2] == last, !Array("lszaeiou".utf8).contains(last) { w.removeLast() }
        if w.last == e, w.count > 3 { w.removeLast() }
        if w.last == y, w.count > 3 {
            w.removeLast()
            w.append(i)
        }
        return w
    }

    /// Every form a chunk's words take in the index — each word lowercased, its identifier parts and the
    /// stems of both — as one set, for ranking's coverage test.
    package static func indexedForms(_ texts: [String]) -> Set<[UInt8]> {
        var forms = Set<[UInt8]>()
        for text in texts {
            for word in wordBytes(text) {
                let lower = lowered(word)
                guard forms.insert(lower).inserted else { continue }
                if lower.contains(where: { $0 >= 0x80 }) {
                    forms.insert(Array(String(decoding: lower, as: UTF8.self).lowercased().utf8))
                    continue
                }
                forms.insert(stemBytes(lower))
                for part in partBytes(word) {
                    forms.insert(part)
                    forms.insert(stemBytes(part))
                }
            }
        }
        return forms
    }

    /// Short forms programmers write for common words, related both ways at search time.
    package static let abbreviations: [String: [String]] = {
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
    package static let stopWords: Set<String> = [
        "a", "an", "and", "are", "as", "at", "be", "been", "by", "can", "could", "did", "do", "does", "doing", "for",
        "from", "had", "has", "have", "how", "i", "if", "in", "into", "is", "it", "its", "me", "my", "of", "on", "or",
        "our", "should", "so", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this",
        "those", "to", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will",
        "with", "would", "you", "your", "get", "gets", "use", "used", "uses", "using", "way", "code", "find", "show",
        "some", "any", "all", "each", "other", "about", "there", "here", "via", "one", "also", "just", "like",
        "make", "makes", "work", "works", "happen", "happens", "implemented", "implement", "handled", "defined", "done",
    ]

    /// The extra words indexed beside `text`: each identifier's parts and each word's stem when they differ
    /// from the word, and the compatibility form of a word that has one (`ﬁnancial` → `financial`: PDFs
    /// extract ligatures), space-separated, each once per text.
    package static func indexedVariants(_ text: some StringProtocol) -> String {
        var seen = Set<[UInt8]>()
        var out: [UInt8] = []
        func add(_ term: [UInt8]) {
            guard !term.isEmpty, seen.insert(term).inserted else { return }
            if !out.isEmpty { out.append(0x20) }
            out += term
        }
        for word in wordBytes(text) {
            let lower = lowered(word)
            guard seen.insert(lower).inserted else { continue }
            if lower.contains(where: { $0 >= 0x80 }) {
                let folded = String(decoding: lower, as: UTF8.self).precomposedStringWithCompatibilityMapping.lowercased()
                for piece in wordBytes(folded) where !piece.elementsEqual(lower) { add(Array(piece)) }
                continue
            }
            let parts = partBytes(word)
            for part in parts { add(part) }
            for piece in parts + [lower] {
                let stemmed = stemBytes(piece)
                if stemmed != piece { add(stemmed) }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A relative path's words for the index: each component's words and their identifier parts, so
    /// `src/HttpRedirect.kt` is found by `http`, `redirect` and `httpredirect`.
    package static func pathWords(_ path: some StringProtocol) -> String {
        let base = words(path).map { $0.lowercased() }
        return (base + [indexedVariants(path)]).joined(separator: " ")
    }
}
