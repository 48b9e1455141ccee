import CTreeSitter
import Foundation

/// A definition found in a file's syntax tree: its symbol path, its lines (0-based rows, the comments,
/// decorators and attributes just above it included) and the definitions nested in it.
package struct SyntaxDefinition: Sendable, Equatable, Codable {
    package var symbol: String
    package var name: String
    package var lines: Range<Int>
    package var isContainer: Bool
    package var members: [SyntaxDefinition]
    /// A function's body, statement by statement (0-based rows): where a body too large for one chunk is cut.
    package var statements: [Range<Int>] = []
    /// Where the definition's node starts (UTF-8 byte offset in the text): which piece of a line too long for one
    /// chunk holds it (a one-line JSON file of thousands of keys). Nil where the parser gives no offsets (YAML).
    package var startByte: Int?
}

/// A file's definitions, top level first, from one parse.
package enum SyntaxOutline {
    /// Nil when the text cannot be parsed (a timeout, or no rules for the grammar's language).
    package static func definitions(in text: String, grammar: Grammar) -> [SyntaxDefinition]? {
        guard let rules = LanguageRules.rules(for: grammar.spec.name) else { return nil }
        return SyntaxTree.parse(text, grammar: grammar) { tree in
            var reader = OutlineReader(rules: rules, source: tree.source)
            return reader.definitions(below: ts_tree_root_node(tree.tree), parent: nil, depth: 0)
        }
    }
}

/// A parsed tree and its source bytes, alive for the closure given to `parse`.
struct SyntaxTree {
    let tree: OpaquePointer
    let source: [UInt8]

    /// A node's whole text.
    func text(of node: TSNode) -> String {
        let start = Int(ts_node_start_byte(node))
        let end = min(Int(ts_node_end_byte(node)), source.count)
        guard start < end else { return "" }
        return String(decoding: source[start..<end], as: UTF8.self)
    }

    /// Parses `text` (at most 2 s of parsing: a pathological file falls back) and hands the tree to `body`.
    static func parse<T>(_ text: String, grammar: Grammar, _ body: (SyntaxTree) -> T) -> T? {
        guard let parser = ts_parser_new() else { return nil }
        defer { ts_parser_delete(parser) }
        guard ts_parser_set_language(parser, grammar.language) else { return nil }
        ts_parser_set_timeout_micros(parser, 2_000_000)
        let source = Array(text.utf8)
        let parsed = source.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.map { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) { ts_parser_parse_string(parser, nil, $0, UInt32(buffer.count)) }
            } ?? nil
        }
        guard let tree = parsed else { return nil }
        defer { ts_tree_delete(tree) }
        return body(SyntaxTree(tree: tree, source: source))
    }
}

private struct OutlineReader {
    let rules: LanguageRules
    let source: [UInt8]

    mutating func definitions(below node: TSNode, parent: SyntaxDefinition?, depth: Int) -> [SyntaxDefinition] {
        guard depth < 8 else { return [] }
        var found: [SyntaxDefinition] = []
        let count = ts_node_named_child_count(node)
        var index: UInt32 = 0
        while index < count {
            let child = ts_node_named_child(node, index)
            let start = attachedStart(of: child, siblingIndex: index, in: node)
            if let definition = definition(child, parent: parent, start: start, depth: depth) {
                found.append(definition)
            } else if !rules.attached.contains(type(child)) {
                // Bodies, blocks and declaration lists: their definitions belong to the same parent.
                found += definitions(below: child, parent: parent, depth: depth + 1)
            }
            index += 1
        }
        return found
    }

    /// The definition `node` is (directly or through a wrapper), nil for anything else.
    private mutating func definition(_ node: TSNode, parent: SyntaxDefinition?, start: UInt32, depth: Int) -> SyntaxDefinition? {
        let nodeType = type(node)
        if let field = rules.wrappers[nodeType] {
            let inner: TSNode?
            if let field {
                inner = child(node, field)
            } else {
                inner = namedChildren(node).first { rules.definitions[type($0)] != nil || rules.wrappers[type($0)] != nil }
            }
            guard let inner else { return nil }
            // The wrapper's lines (decorators, `export`, `template<…>`) are the definition's.
            return definition(inner, parent: parent, start: start, depth: depth).map { found in
                var widened = found
                widened.lines = min(Int(start), found.lines.lowerBound)..<found.lines.upperBound
                return widened
            }
        }
        guard let kind = rules.definitions[nodeType], let name = self.name(of: node, type: nodeType) else { return nil }
        let symbol = self.symbol(name, of: node, type: nodeType, parent: parent)
        let end = ts_node_end_point(node)
        let endRow = Int(end.row) + (end.column > 0 ? 1 : 0)
        var definition = SyntaxDefinition(symbol: symbol, name: name, lines: Int(start)..<max(endRow, Int(start) + 1),
                                          isContainer: kind == .container, members: [])
        definition.startByte = Int(ts_node_start_byte(node))
        if kind == .container {
            definition.members = definitions(below: node, parent: definition, depth: depth + 1)
        } else if var body = child(node, "body") ?? child(node, "value").flatMap({ child($0, "body") })
                    ?? namedChildren(node).last(where: { ["function_body", "block"].contains(type($0)) }) {
            // Swift wraps a body's statements once more (function_body → statements).
            if let only = namedChildren(body).first, ts_node_named_child_count(body) == 1, type(only) == "statements" { body = only }
            definition.statements = namedChildren(body).map { statement in
                let end = ts_node_end_point(statement)
                return Int(ts_node_start_point(statement).row)..<(Int(end.row) + 1)
            }
        }
        return definition
    }

    /// The first row of the comments and attributes directly above the child at `siblingIndex`.
    private func attachedStart(of node: TSNode, siblingIndex: UInt32, in parent: TSNode) -> UInt32 {
        var start = ts_node_start_point(node).row
        var index = siblingIndex
        while index > 0 {
            let previous = ts_node_named_child(parent, index - 1)
            guard rules.attached.contains(type(previous)) || type(previous) == "decorator" else { break }
            let previousEnd = ts_node_end_point(previous).row
            // A blank line between a comment and the definition: the comment is not its doc.
            guard previousEnd + 1 >= start else { break }
            start = ts_node_start_point(previous).row
            index -= 1
        }
        return start
    }

    private func symbol(_ name: String, of node: TSNode, type nodeType: String, parent: SyntaxDefinition?) -> String {
        if nodeType == "method_declaration", rules.separator == ".", let receiver = child(node, "receiver") {
            // Go: a method under its receiver type, pointer or not (`Ledger.Reconcile`).
            let receiverType = text(receiver).split(whereSeparator: { " ()*".contains($0) }).last.map(String.init) ?? ""
            return receiverType.isEmpty ? name : receiverType + "." + name
        }
        if nodeType == "pair", let item = arrayItem(containing: node) {
            // JSON: a key inside an array's objects is named with its item (`modules[2].name`), so keys repeated in
            // every item, or nested arrays of the same key, never read as `modules.modules.modules`.
            return (parent?.symbol ?? "") + "[\(item)]." + name
        }
        guard let parent else { return name }
        if name.contains(rules.separator) && rules.separator == "::" { return name }
        var separator = rules.separator
        if rules.separator == "#" {
            // Ruby: Class#method, Class.singleton, Module::Class.
            separator = nodeType == "method" ? "#" : nodeType == "singleton_method" ? "." : "::"
        }
        return parent.symbol + separator + name
    }

    private func name(of node: TSNode, type nodeType: String) -> String? {
        switch nodeType {
        case "impl_item":
            // Rust: `impl Ledger`, `impl Display for Ledger` → Ledger (generics left out).
            guard let implemented = child(node, "type") else { return nil }
            return text(implemented).split(separator: "<").first.map(String.init)
        case "struct_specifier", "enum_specifier", "union_specifier", "class_specifier":
            // C and C++: `struct Ledger *p` mentions a type; only one with a body defines it.
            guard child(node, "body") != nil else { return nil }
            return child(node, "name").map(text)
        case "preproc_def":
            // C and C++: `#define NAME value`; a macro without a value (`#define LEDGER_H`, an include guard or a flag)
            // only marks something.
            guard child(node, "value") != nil else { return nil }
            return child(node, "name").map(text)
        case "type_definition":
            // `typedef struct {…} Point;`, `typedef int (*compare)(int, int);`: the innermost declarator.
            return innermostDeclarator(of: node).map(text)
        case "function_definition" where rules.separator == "::":
            // C and C++: the name sits inside nested declarators (pointers, function declarators); PHP names it.
            return innermostDeclarator(of: node).map(text) ?? child(node, "name").map(text)
        case "lexical_declaration", "variable_declaration":
            // JavaScript: `const reconcile = (…) => {…}` is a function; other declarations are not.
            guard let declarator = namedChildren(node).first(where: { type($0) == "variable_declarator" }),
                  let value = child(declarator, "value"),
                  Self.functionValues.contains(type(value)) else { return nil }
            return child(declarator, "name").map(text)
        case "field_definition", "public_field_definition":
            // A class field holding a function (`handleClick = (event) => {…}`) is a method; other fields are not.
            guard let value = child(node, "value"),
                  Self.functionValues.contains(type(value)) else { return nil }
            return (child(node, "property") ?? child(node, "name")).map(text)
        case "pair":
            // JSON `"key": value` (field key), TOML `key = value` (its first child).
            let key = child(node, "key") ?? namedChildren(node).first
            return key.map(text).map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"'")) }
        case "table", "table_array_element":
            return namedChildren(node).first.map(text)
        case "init_declaration", "deinit_declaration", "subscript_declaration":
            // Swift: `init`, `deinit` and `subscript` have no name but their keyword.
            return String(nodeType.prefix { $0 != "_" })
        case "module":
            // TypeScript `declare module "fs"`: the name without its quotes.
            return child(node, "name").map(text).map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"'")) }
        case "type_declaration":
            return namedChildren(node).first { type($0) == "type_spec" }.flatMap { child($0, "name") }.map(text)
        case "companion_object":
            // Kotlin: `companion object` is named Companion unless it says otherwise.
            return namedChildren(node).first { rules.nameTypes.contains(type($0)) }.map(text) ?? "Companion"
        default:
            if let name = child(node, "name") { return text(name) }
            return namedChildren(node).first { rules.nameTypes.contains(type($0)) }.map(text)
        }
    }

    /// JavaScript and TypeScript values that make a variable or a class field a function.
    private static let functionValues: Set<String> = ["arrow_function", "function_expression", "function", "generator_function"]

    /// The name inside C's nested declarators: pointers, functions, arrays and parentheses (`(*compare)`).
    private func innermostDeclarator(of node: TSNode) -> TSNode? {
        var declarator = child(node, "declarator")
        while let current = declarator {
            if let inner = child(current, "declarator") {
                declarator = inner
            } else if type(current) == "parenthesized_declarator", let inner = namedChildren(current).first {
                declarator = inner
            } else {
                break
            }
        }
        return declarator
    }

    /// The position of the object holding this pair among its array's items, when that object is an array item.
    private func arrayItem(containing pair: TSNode) -> Int? {
        let object = ts_node_parent(pair)
        guard !ts_node_is_null(object), type(object) == "object" else { return nil }
        let array = ts_node_parent(object)
        guard !ts_node_is_null(array), type(array) == "array" else { return nil }
        return namedChildren(array).firstIndex { ts_node_eq($0, object) }
    }

    private func type(_ node: TSNode) -> String {
        String(cString: ts_node_type(node))
    }

    private func child(_ node: TSNode, _ field: String) -> TSNode? {
        let found = ts_node_child_by_field_name(node, field, UInt32(field.utf8.count))
        return ts_node_is_null(found) ? nil : found
    }

    private func namedChildren(_ node: TSNode) -> [TSNode] {
        (0..<ts_node_named_child_count(node)).map { ts_node_named_child(node, $0) }
    }

    private func text(_ node: TSNode) -> String {
        let start = Int(ts_node_start_byte(node))
        let end = min(Int(ts_node_end_byte(node)), source.count)
        guard start < end else { return "" }
        return String(decoding: source[start..<end], as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
    }
}
