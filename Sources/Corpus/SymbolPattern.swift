/// A `sym:` filter: a glob (`*`, `?`, `[…]`), case-insensitive, matched against a symbol's own name
/// (`reconcile`) and against its whole path (`Ledger.reconcile`, `Ledger::reconcile`), so `sym:reconcile`
/// finds the method wherever it lives and `sym:Ledger.*` every method of Ledger. In a symbol path `*` also
/// crosses the separators (they are not `/`).
package struct SymbolPattern: Sendable, Equatable {
    let steps: [Glob.Step]
    /// The pattern, lowercased, when it has no wildcard (`reconcile`, `Ledger.reconcile`).
    let literal: String?

    package init(_ pattern: String) {
        steps = Glob.compile(ArraySlice(Array(pattern.lowercased().utf8)))
        literal = pattern.contains(where: { "*?[".contains($0) }) ? nil : pattern.lowercased()
    }

    /// Whether one symbol path matches.
    package func matches(_ symbol: String) -> Bool {
        let path = Array(symbol.lowercased().utf8)
        if Glob.matches(steps, path[...]) { return true }
        return Glob.matches(steps, ArraySlice(Array(Self.ownName(symbol).lowercased().utf8)))
    }

    /// How well a chunk's symbols (comma-separated) match, best first: 0 when one is named exactly the pattern
    /// (own name or whole path, case aside), 1 when one matches it, nil when none does.
    package func closeness(anyOf symbols: String) -> Int? {
        let held = symbols.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        if let literal, held.contains(where: { $0.lowercased() == literal || Self.ownName($0).lowercased() == literal }) { return 0 }
        return held.contains(where: { matches($0) }) ? 1 : nil
    }

    /// Whether any of a chunk's symbols (comma-separated) matches.
    package func matches(anyOf symbols: String) -> Bool {
        symbols.split(separator: ",").contains { matches($0.trimmingCharacters(in: .whitespaces)) }
    }

    /// Words every symbol this pattern matches must hold, as the full-text index splits them (letters and digits,
    /// lowercased), the last one a prefix when a wildcard follows it directly (`Led*` → `led` as a prefix;
    /// `Ledger.*` → `ledger` whole): a filter the index can answer before the pattern itself is tried. Nil when the
    /// pattern starts with a wildcard or a character class, which no word can stand for.
    package var indexWords: (whole: [String], prefix: String?)? {
        let pattern = String(decoding: Self.literalPrefix(of: self), as: UTF8.self)
        guard !pattern.isEmpty else { return nil }
        var words = pattern.split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map(String.init)
        guard !words.isEmpty else { return nil }
        // A wildcard right after a letter or digit cuts the last word short: only its beginning is known.
        let cut = literal == nil && (pattern.last.map { $0.isLetter || $0.isNumber } ?? false)
        let prefix = cut ? words.removeLast() : nil
        return (words, prefix)
    }

    /// The longest run of plain text in the pattern (lowercased ASCII, two bytes or more): every symbol the pattern
    /// matches holds it, case aside, unless the symbol has letters beyond ASCII (whose lowercase may be ASCII: the
    /// Kelvin sign's is `k`). What a pattern starting with a wildcard (`*send`) can still be looked up by.
    package var longestLiteral: String? {
        var best: [UInt8] = []
        var run: [UInt8] = []
        for step in steps + [.star] {
            if case .literal(let byte) = step, byte < 0x80 {
                run.append(byte)
            } else {
                if run.count > best.count { best = run }
                run.removeAll()
            }
        }
        return best.count >= 2 ? String(decoding: best, as: UTF8.self) : nil
    }

    /// The pattern's text before its first wildcard or class, lowercased.
    private static func literalPrefix(of pattern: SymbolPattern) -> [UInt8] {
        var bytes: [UInt8] = []
        for step in pattern.steps {
            guard case .literal(let byte) = step else { break }
            bytes.append(byte)
        }
        return bytes
    }

    /// The last name of a path: `reconcile` of `Ledger::reconcile`, `Ledger#reconcile`, `Ledger.reconcile`,
    /// `Ledger:reconcile` (Lua).
    /// What follows the last `:`, `#` or `.` — byte-wise: a leading-wildcard `sym:` tests every symbol of the index,
    /// and searching backwards through Foundation's `range(of:)` for each separator was 200 of its 500 ms (perf).
    package static func ownName(_ symbol: String) -> String {
        let bytes = symbol.utf8
        guard let last = bytes.lastIndex(where: { $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: "#") || $0 == UInt8(ascii: ".") }) else {
            return symbol
        }
        return String(symbol[bytes.index(after: last)...])
    }
}
