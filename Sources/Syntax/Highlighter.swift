import CTreeSitter
import Foundation

/// What a highlight capture is, in the few kinds a theme colours.
package enum SyntaxKind: String, Sendable, CaseIterable, Codable {
    case keyword, string, comment, function, type, number, constant, property

    /// The kind of a `highlights.scm` capture name (`@keyword.return`, `@string.special`, `@function.method`…).
    init?(capture: String) {
        let head = capture.split(separator: ".").first.map(String.init) ?? capture
        switch head {
        case "keyword", "include", "conditional", "repeat", "exception", "storageclass": self = .keyword
        case "string", "escape", "character": self = .string
        case "comment": self = .comment
        case "function", "method", "constructor": self = .function
        case "type", "class", "namespace", "module": self = .type
        case "number", "float": self = .number
        case "constant", "boolean": self = .constant
        case "property", "attribute", "label", "tag": self = .property
        default: return nil
        }
    }
}

/// A run of highlighted text on one line: character offsets (0-based, end exclusive) and its kind.
package struct HighlightRun: Sendable, Equatable, Codable {
    package let characters: Range<Int>
    package let kind: SyntaxKind

    package init(characters: Range<Int>, kind: SyntaxKind) {
        self.characters = characters
        self.kind = kind
    }
}

/// Syntax highlighting from the grammar's own `highlights.scm`, one parse per file. Text predicates
/// (`#match?`, `#eq?`, `#any-of?`), which the C runtime leaves to its caller, are evaluated here
/// (`QueryPredicate`); a pattern with any other predicate is skipped: fewer colours, never a wrong one.
/// Where captures overlap, the first capture to start wins its characters.
package enum Highlighter {
    /// The runs of each line of `text` (split on "\n"), nil without highlight queries or a parse.
    package static func lines(_ text: String, grammar: Grammar) -> [[HighlightRun]]? {
        guard let compiled = grammar.highlightQuery else { return nil }
        let query = compiled.query
        return SyntaxTree.parse(text, grammar: grammar) { tree in
            guard let cursor = ts_query_cursor_new() else { return nil }
            defer { ts_query_cursor_delete(cursor) }
            ts_query_cursor_exec(cursor, query, ts_tree_root_node(tree.tree))
            var kinds: [SyntaxKind?] = (0..<ts_query_capture_count(query)).map { index in
                var length: UInt32 = 0
                guard let name = ts_query_capture_name_for_id(query, index, &length) else { return nil }
                return SyntaxKind(capture: String(decoding: UnsafeRawBufferPointer(start: name, count: Int(length)), as: UTF8.self))
            }
            if kinds.isEmpty { kinds = [] }
            // A byte's kind: the first capture that claimed it.
            var byteKinds = [SyntaxKind?](repeating: nil, count: tree.source.count)
            var match = TSQueryMatch()
            var captureIndex: UInt32 = 0
            while ts_query_cursor_next_capture(cursor, &match, &captureIndex) {
                guard let captures = match.captures, let predicates = compiled.predicates[Int(match.pattern_index)] else { continue }
                if !predicates.isEmpty {
                    let matched = UnsafeBufferPointer(start: captures, count: Int(match.capture_count))
                    let text = { (id: UInt32) -> String? in
                        matched.first { $0.index == id }.map { tree.text(of: $0.node) }
                    }
                    guard predicates.allSatisfy({ $0.holds(text) }) else { continue }
                }
                let capture = captures[Int(captureIndex)]
                guard Int(capture.index) < kinds.count, let kind = kinds[Int(capture.index)] else { continue }
                let start = Int(ts_node_start_byte(capture.node))
                let end = min(Int(ts_node_end_byte(capture.node)), byteKinds.count)
                guard start < end else { continue }
                for byte in start..<end where byteKinds[byte] == nil { byteKinds[byte] = kind }
            }
            return runs(tree.source, byteKinds)
        } ?? nil
    }

    /// Byte kinds to per-line character runs.
    private static func runs(_ source: [UInt8], _ kinds: [SyntaxKind?]) -> [[HighlightRun]] {
        var lines: [[HighlightRun]] = [[]]
        var character = 0
        var open: (start: Int, kind: SyntaxKind)?
        func close(at end: Int) {
            if let current = open, end > current.start { lines[lines.count - 1].append(HighlightRun(characters: current.start..<end, kind: current.kind)) }
            open = nil
        }
        var index = 0
        while index < source.count {
            let byte = source[index]
            if byte == 0x0A {
                close(at: character)
                lines.append([])
                character = 0
                index += 1
                continue
            }
            // One character per UTF-8 lead byte (continuation bytes 10xxxxxx share it).
            let kind = kinds[index]
            if kind != open?.kind {
                close(at: character)
                if let kind { open = (character, kind) }
            }
            let length = byte < 0x80 ? 1 : byte >> 5 == 0b110 ? 2 : byte >> 4 == 0b1110 ? 3 : byte >> 3 == 0b11110 ? 4 : 1
            index += length
            character += 1
        }
        close(at: character)
        return lines
    }
}
