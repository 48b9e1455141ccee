import CTreeSitter

/// A grammar's highlight query, compiled once per process. A query that names a node type or field this
/// grammar lacks (TypeScript inherits JavaScript's queries from another package; a wheel's queries may be a
/// little newer than the sources) fails whole in tree-sitter; here the failing pattern is dropped and the
/// rest compiled again, so one stale pattern costs its colour, not the file's.
final class HighlightQuery: Sendable {
    /// Read-only once built: tree-sitter queries are shared between cursors.
    private let handle: ReadOnlyHandle
    var query: OpaquePointer { handle.pointer }
    /// The patterns left out, as written in highlights.scm (`qwery grammars` counts them).
    let dropped: [String]

    /// Each pattern's text predicates; nil for a pattern never applied (a predicate qwery cannot evaluate).
    let predicates: [[QueryPredicate]?]

    private init(query: OpaquePointer, dropped: [String]) {
        handle = ReadOnlyHandle(query)
        self.dropped = dropped
        predicates = QueryPredicate.all(in: query)
    }

    deinit { ts_query_delete(query) }

    /// Compiles `source`, dropping patterns that do not compile (at most 200); nil when nothing compiles.
    static func compile(_ source: String, language: OpaquePointer) -> HighlightQuery? {
        var remaining = Array(source.utf8)
        var dropped: [String] = []
        while !remaining.isEmpty && dropped.count < 200 {
            var errorOffset: UInt32 = 0
            var errorType = TSQueryErrorNone
            let compiled = remaining.withUnsafeBufferPointer { buffer in
                buffer.baseAddress.flatMap { base in
                    base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                        ts_query_new(language, $0, UInt32(buffer.count), &errorOffset, &errorType)
                    }
                }
            }
            if let compiled { return HighlightQuery(query: compiled, dropped: dropped) }
            guard let pattern = topLevelPattern(around: Int(errorOffset), in: remaining) else { return nil }
            dropped.append(String(decoding: remaining[pattern], as: UTF8.self))
            remaining.removeSubrange(pattern)
        }
        return nil
    }

    /// The byte range of the top-level pattern holding `offset` — a bracketed pattern, an alternation or a
    /// quoted token, with the captures and quantifiers that follow it — or nil when `offset` is in none.
    static func topLevelPattern(around offset: Int, in source: [UInt8]) -> Range<Int>? {
        let quote = UInt8(ascii: "\""), newline = UInt8(ascii: "\n")
        var index = 0
        while index < source.count {
            let byte = source[index]
            if byte == UInt8(ascii: ";") {
                while index < source.count && source[index] != newline { index += 1 }
                continue
            }
            guard byte == UInt8(ascii: "(") || byte == UInt8(ascii: "[") || byte == quote else {
                index += 1
                continue
            }
            let start = index
            var end = skipItem(from: index, in: source)
            // Trailing captures and quantifiers (`@keyword`, `?`, `*`) on the same line stay with the pattern.
            while end < source.count, ![UInt8(ascii: "("), UInt8(ascii: "["), quote, UInt8(ascii: ";"), newline].contains(source[end]) {
                end += 1
            }
            if offset >= start && offset < max(end, start + 1) { return start..<end }
            if offset < start { return nil }
            index = end
        }
        return nil
    }

    /// The index just past the bracketed or quoted item starting at `start` (strings and comments inside skipped).
    private static func skipItem(from start: Int, in source: [UInt8]) -> Int {
        let quote = UInt8(ascii: "\"")
        var depth = 0
        var index = start
        while index < source.count {
            let byte = source[index]
            if byte == quote {
                index += 1
                while index < source.count && source[index] != quote { index += source[index] == UInt8(ascii: "\\") ? 2 : 1 }
                if depth == 0 { return min(index + 1, source.count) }
            } else if byte == UInt8(ascii: ";") {
                while index < source.count && source[index] != UInt8(ascii: "\n") { index += 1 }
                continue
            } else if byte == UInt8(ascii: "(") || byte == UInt8(ascii: "[") {
                depth += 1
            } else if byte == UInt8(ascii: ")") || byte == UInt8(ascii: "]") {
                depth -= 1
                if depth <= 0 { return index + 1 }
            }
            index += 1
        }
        return source.count
    }
}
