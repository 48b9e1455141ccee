import CYAML
import Corpus
import Foundation

/// YAML chunked along its keys like JSON and TOML (`services.web`, `jobs.build.steps`), read with libyaml's
/// event parser: no tree-sitter grammar for YAML builds from PyPI (README, Code by its structure). A mapping
/// value is a container of its keys; a sequence value is one definition whose items are where an oversized one
/// is cut. Aliases are never expanded (an alias bomb is a few events); a file libyaml refuses is chunked as text.
package enum YAMLOutline {
    /// Whether `path` is YAML by its extension.
    package static func handles(path: String) -> Bool {
        ["yaml", "yml"].contains(FileKind.fileExtension(of: path.split(separator: "/").last.map(String.init) ?? path))
    }

    /// The keys of every document in `text`, nil when it is not YAML libyaml reads.
    package static func definitions(in text: String) -> [SyntaxDefinition]? {
        var reader = YAMLEventReader(text)
        defer { reader.close() }
        var definitions: [SyntaxDefinition] = []
        while let event = reader.next() {
            switch event.type {
            case YAML_STREAM_END_EVENT: return definitions
            case YAML_STREAM_START_EVENT, YAML_DOCUMENT_START_EVENT, YAML_DOCUMENT_END_EVENT: continue
            default:
                guard let root = reader.node(from: event, path: nil, depth: 0) else { return nil }
                definitions += root.members
            }
        }
        return nil
    }
}

/// libyaml's parser over one text, event by event.
private struct YAMLEventReader {
    struct Event {
        let type: yaml_event_type_t
        let startRow: Int
        /// The row after the event's last character.
        let endRow: Int
        let scalar: String?
        /// A `[…]` or `{…}` collection, which ends at its bracket; a block one ends at its last value (its end
        /// mark points at the next token, often the next line's indentation).
        let isFlow: Bool
    }

    /// On the heap: libyaml keeps a pointer to its parser (its string reader's `read_handler_data`), and a
    /// Swift value may move.
    private let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
    private let bytes: UnsafeMutableBufferPointer<UInt8>
    private var failed = false

    init(_ text: String) {
        let utf8 = Array(text.utf8)
        bytes = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(utf8.count, 1))
        _ = bytes.initialize(from: utf8)
        yaml_parser_initialize(parser)
        if let base = bytes.baseAddress { yaml_parser_set_input_string(parser, base, utf8.count) }
    }

    mutating func close() {
        yaml_parser_delete(parser)
        parser.deallocate()
        bytes.deallocate()
    }

    mutating func next() -> Event? {
        guard !failed else { return nil }
        var event = yaml_event_t()
        guard yaml_parser_parse(parser, &event) == 1 else {
            failed = true
            return nil
        }
        defer { yaml_event_delete(&event) }
        var scalar: String?
        if event.type == YAML_SCALAR_EVENT, let value = event.data.scalar.value {
            scalar = String(decoding: UnsafeBufferPointer(start: value, count: event.data.scalar.length), as: UTF8.self)
        }
        let end = event.end_mark
        let isFlow = event.type == YAML_SEQUENCE_START_EVENT && event.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE
            || event.type == YAML_MAPPING_START_EVENT && event.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE
        return Event(type: event.type, startRow: Int(event.start_mark.line), endRow: Int(end.line) + (end.column > 0 ? 1 : 0), scalar: scalar,
                     isFlow: isFlow)
    }

    /// The node that starts with `first`, read to its end: its last row (exclusive), its keys when it is a
    /// mapping, its items' rows when it is a sequence. Nil when the text stops being YAML.
    mutating func node(from first: Event, path: String?, depth: Int) -> (end: Int, members: [SyntaxDefinition], items: [Range<Int>])? {
        switch first.type {
        case YAML_SEQUENCE_START_EVENT:
            var items: [Range<Int>] = []
            while let event = next() {
                if event.type == YAML_SEQUENCE_END_EVENT {
                    return (first.isFlow ? event.endRow : items.last?.upperBound ?? first.endRow, [], items)
                }
                guard let item = node(from: event, path: nil, depth: depth + 1) else { return nil }
                items.append(event.startRow..<max(item.end, event.startRow + 1))
            }
            return nil
        case YAML_MAPPING_START_EVENT:
            var members: [SyntaxDefinition] = []
            var last = first.endRow
            while let key = next() {
                if key.type == YAML_MAPPING_END_EVENT { return (first.isFlow ? max(key.endRow, last) : last, members, []) }
                // A key that is itself a mapping or a sequence (`? [a, b]`) is read through and named "…".
                guard node(from: key, path: nil, depth: depth + 1) != nil, let valueStart = next() else { return nil }
                let name = key.scalar ?? "…"
                let symbol = path.map { $0 + "." + name } ?? name
                guard let value = node(from: valueStart, path: symbol, depth: depth + 1) else { return nil }
                last = max(value.end, key.startRow + 1)
                // Deeper than eight keys: the enclosing key's lines hold it.
                guard depth < 8 else { continue }
                var definition = SyntaxDefinition(symbol: symbol, name: name, lines: key.startRow..<last, isContainer: !value.members.isEmpty,
                                                  members: value.members)
                definition.statements = value.items
                members.append(definition)
            }
            return nil
        default:
            // A scalar or an alias: one event.
            return (max(first.endRow, first.startRow + 1), [], [])
        }
    }
}
