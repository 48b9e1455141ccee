import CTreeSitter
import Foundation

/// The text predicates of highlight queries, which the C runtime leaves to its caller: `#match?`,
/// `#not-match?`, `#eq?`, `#not-eq?`, `#any-of?` and `#not-any-of?` (the ones tree-sitter's own highlighter
/// and the grammars' queries use; regular expressions by NSRegularExpression, close to the Rust `regex` syntax
/// they are written for). Neovim's `#lua-match?` (Lua patterns, not regular expressions) is not one of them. Directives (`#set!`, `#select-adjacent!`) change nothing a colour depends on and are ignored. A pattern
/// with any other predicate is never applied: fewer colours, never a wrong one.
enum QueryPredicate {
    case match(capture: UInt32, NSRegularExpression, negated: Bool)
    case equalsText(capture: UInt32, String, negated: Bool)
    case equalsCapture(capture: UInt32, UInt32, negated: Bool)
    case anyOf(capture: UInt32, Set<String>, negated: Bool)

    /// Each pattern's predicates, nil for a pattern that has one qwery cannot evaluate.
    static func all(in query: OpaquePointer) -> [[QueryPredicate]?] {
        (0..<ts_query_pattern_count(query)).map { pattern in
            var count: UInt32 = 0
            guard let steps = ts_query_predicates_for_pattern(query, pattern, &count), count > 0 else { return [] }
            var predicates: [QueryPredicate] = []
            var current: [TSQueryPredicateStep] = []
            for index in 0..<Int(count) {
                guard steps[index].type == TSQueryPredicateStepTypeDone else {
                    current.append(steps[index])
                    continue
                }
                guard let name = current.first.map({ string(query, $0.value_id) }) else { return nil }
                if name.hasSuffix("!") {
                    current = []
                    continue
                }
                guard let predicate = make(name, Array(current.dropFirst()), query: query) else { return nil }
                predicates.append(predicate)
                current = []
            }
            return predicates
        }
    }

    private static func make(_ name: String, _ arguments: [TSQueryPredicateStep], query: OpaquePointer) -> QueryPredicate? {
        guard let first = arguments.first, first.type == TSQueryPredicateStepTypeCapture else { return nil }
        let capture = first.value_id
        let negated = name.hasPrefix("not-")
        let rest = arguments.dropFirst()
        switch negated ? String(name.dropFirst(4)) : name {
        case "match?":
            guard rest.count == 1, let pattern = rest.first, pattern.type == TSQueryPredicateStepTypeString,
                  let regex = try? NSRegularExpression(pattern: string(query, pattern.value_id)) else { return nil }
            return .match(capture: capture, regex, negated: negated)
        case "eq?":
            guard rest.count == 1, let other = rest.first else { return nil }
            return other.type == TSQueryPredicateStepTypeCapture
                ? .equalsCapture(capture: capture, other.value_id, negated: negated)
                : .equalsText(capture: capture, string(query, other.value_id), negated: negated)
        case "any-of?":
            guard rest.allSatisfy({ $0.type == TSQueryPredicateStepTypeString }) else { return nil }
            return .anyOf(capture: capture, Set(rest.map { string(query, $0.value_id) }), negated: negated)
        default:
            return nil
        }
    }

    private static func string(_ query: OpaquePointer, _ id: UInt32) -> String {
        var length: UInt32 = 0
        guard let value = ts_query_string_value_for_id(query, id, &length) else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: value, count: Int(length)), as: UTF8.self)
    }

    /// Whether the match holds, given each capture's text (`text(captureId)`; nil when not captured, which
    /// passes, as in tree-sitter's highlighter).
    func holds(_ text: (UInt32) -> String?) -> Bool {
        switch self {
        case let .match(capture, regex, negated):
            guard let value = text(capture) else { return true }
            let found = regex.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) != nil
            return found != negated
        case let .equalsText(capture, expected, negated):
            guard let value = text(capture) else { return true }
            return (value == expected) != negated
        case let .equalsCapture(capture, other, negated):
            guard let value = text(capture), let otherValue = text(other) else { return true }
            return (value == otherValue) != negated
        case let .anyOf(capture, values, negated):
            guard let value = text(capture) else { return true }
            return values.contains(value) != negated
        }
    }
}
