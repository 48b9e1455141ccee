import Indexing
import Foundation

/// `$XDG_CONFIG_HOME/qwery/config.toml`: every key optional. A small TOML subset — `key = value`
/// with strings, integers, booleans and arrays of strings, and a `[presets]` table of
/// instruction presets; `#` comments. Errors name the line and the key. Hand-written rather than TOMLKit,
/// which builds toml++ (C++) from source: measured with swift-crypto at 3 min 52 s on a 2-core Zen 3.
public struct ConfigFile: Equatable, Sendable {
    public var folders: [String]?
    public var ignore: [String]?
    public var maximumFileSize: Int?
    public var model: String?
    public var reranker: String?
    public var dimensions: Int?
    public var preset: String?
    public var rerankDepth: Int?
    public var theme: String?
    public var precision: String?
    public var rerankPrecision: String?
    /// Follow symbolic links whose targets are inside the folder being indexed.
    public var followSymlinks: Bool?
    /// name → instruction, in file order.
    public var presets: [(name: String, instruction: String)] = []
    /// Where it was read from, nil when there is no file.
    public var path: String?

    public init() {}

    public static func == (lhs: ConfigFile, rhs: ConfigFile) -> Bool {
        lhs.folders == rhs.folders && lhs.ignore == rhs.ignore && lhs.maximumFileSize == rhs.maximumFileSize
            && lhs.model == rhs.model && lhs.reranker == rhs.reranker && lhs.dimensions == rhs.dimensions
            && lhs.preset == rhs.preset && lhs.rerankDepth == rhs.rerankDepth && lhs.theme == rhs.theme
            && lhs.precision == rhs.precision && lhs.rerankPrecision == rhs.rerankPrecision && lhs.followSymlinks == rhs.followSymlinks && lhs.presets.map(\.name) == rhs.presets.map(\.name)
            && lhs.presets.map(\.instruction) == rhs.presets.map(\.instruction)
    }

    /// A line qwery cannot use.
    public struct ParseError: Error, CustomStringConvertible {
        public let path: String
        public let line: Int
        public let message: String
        public var description: String { "\(path):\(line): \(message)" }
    }

    public static var defaultPath: String {
        Environment.folder("XDG_CONFIG_HOME", fallback: ".config") + "/qwery/config.toml"
    }

    /// The user's configuration (QWERY_CONFIG or the default path); empty when the file does not exist.
    /// Read once per process: model, precision and folder options all consult it while starting.
    public static func load() throws -> ConfigFile {
        try loaded.get()
    }

    private static let loaded = Result<ConfigFile, any Error> {
        let path = Environment.value("QWERY_CONFIG") ?? defaultPath
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return ConfigFile() }
        var config = try parse(text, path: path)
        config.path = path
        return config
    }

    public static let knownKeys = ["folders", "ignore", "max_file_size", "model", "reranker", "dimensions", "preset",
                            "rerank_depth", "theme", "precision", "rerank_precision", "follow_symlinks"]

    public static func parse(_ text: String, path: String) throws -> ConfigFile {
        var config = ConfigFile()
        var table = ""
        for (index, rawLine) in text.splitLines().enumerated() {
            let number = index + 1
            let line = stripComment(String(rawLine)).trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]") else { throw ParseError(path: path, line: number, message: "a table header must end with ]") }
                table = String(line.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                guard table == "presets" else {
                    throw ParseError(path: path, line: number, message: "unknown table [\(table)]; the only table is [presets]")
                }
                continue
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw ParseError(path: path, line: number, message: "expected key = value")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            let valueText = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            let value: Value
            do { value = try Value.parse(valueText) } catch let message as Value.Problem {
                throw ParseError(path: path, line: number, message: "\(key): \(message.text)")
            }
            if table == "presets" {
                guard case .string(let instruction) = value else {
                    throw ParseError(path: path, line: number, message: "preset \(key) must be a string (the instruction)")
                }
                config.presets.append((key, instruction))
                continue
            }
            func expect<T>(_ extracted: T?, _ kind: String) throws -> T {
                guard let extracted else { throw ParseError(path: path, line: number, message: "\(key) must be \(kind)") }
                return extracted
            }
            switch key {
            case "folders": config.folders = try expect(value.strings, "an array of strings")
            case "ignore": config.ignore = try expect(value.strings, "an array of strings")
            case "max_file_size": config.maximumFileSize = try expect(value.integer, "an integer (bytes)")
            case "model": config.model = try expect(value.string, "a string (a model folder)")
            case "reranker": config.reranker = try expect(value.string, "a string (a model folder)")
            case "dimensions": config.dimensions = try expect(value.integer, "an integer")
            case "preset": config.preset = try expect(value.string, "a string")
            case "rerank_depth": config.rerankDepth = try expect(value.integer, "an integer")
            case "theme": config.theme = try expect(value.string, "a string")
            case "follow_symlinks": config.followSymlinks = try expect(value.boolean, "true or false")
            case "precision", "rerank_precision":
                let precision = try expect(value.string, "a string")
                guard ["exact", "fast", "int8"].contains(precision) else {
                    throw ParseError(path: path, line: number, message: "\(key) must be \"exact\", \"fast\" or \"int8\"")
                }
                if key == "precision" { config.precision = precision } else { config.rerankPrecision = precision }
            default:
                throw ParseError(path: path, line: number, message: "unknown key \(key); keys: \(knownKeys.joined(separator: ", ")), and a [presets] table")
            }
        }
        return config
    }

    /// The line without a trailing comment (a `#` outside quotes).
    private static func stripComment(_ line: String) -> String {
        var quote: Character?
        var previous: Character = " "
        for (offset, character) in line.enumerated() {
            if let open = quote {
                if character == open && previous != "\\" { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "#" {
                return String(line.prefix(offset))
            }
            previous = character
        }
        return line
    }

    /// A TOML value of the kinds qwery reads.
    enum Value: Equatable {
        case string(String)
        case integer(Int)
        case boolean(Bool)
        case array([Value])

        struct Problem: Error {
            let text: String
        }

        var string: String? { if case .string(let value) = self { return value }; return nil }
        var integer: Int? { if case .integer(let value) = self { return value }; return nil }
        var boolean: Bool? { if case .boolean(let value) = self { return value }; return nil }
        var strings: [String]? {
            guard case .array(let values) = self else { return nil }
            let strings = values.compactMap(\.string)
            return strings.count == values.count ? strings : nil
        }

        public static func parse(_ text: String) throws -> Value {
            var scanner = Substring(text)
            let value = try parseValue(&scanner)
            guard scanner.trimmingCharacters(in: .whitespaces).isEmpty else { throw Problem(text: "unexpected text after the value") }
            return value
        }

        private static func parseValue(_ text: inout Substring) throws -> Value {
            text = text.drop { $0 == " " || $0 == "\t" }
            guard let first = text.first else { throw Problem(text: "missing value") }
            switch first {
            case "\"", "'":
                text.removeFirst()
                var result = ""
                while let character = text.first {
                    text.removeFirst()
                    if character == first { return .string(result) }
                    if character == "\\" && first == "\"", let escaped = text.first {
                        text.removeFirst()
                        switch escaped {
                        case "n": result.append("\n")
                        case "t": result.append("\t")
                        case "\"": result.append("\"")
                        case "\\": result.append("\\")
                        default: throw Problem(text: "unknown escape \\\(escaped)")
                        }
                    } else {
                        result.append(character)
                    }
                }
                throw Problem(text: "unterminated string")
            case "[":
                text.removeFirst()
                var values: [Value] = []
                while true {
                    text = text.drop { $0 == " " || $0 == "\t" }
                    if text.first == "]" { text.removeFirst(); return .array(values) }
                    values.append(try parseValue(&text))
                    text = text.drop { $0 == " " || $0 == "\t" }
                    if text.first == "," { text.removeFirst(); continue }
                    if text.first == "]" { text.removeFirst(); return .array(values) }
                    throw Problem(text: "expected , or ] in an array")
                }
            default:
                let word = text.prefix { !($0 == "," || $0 == "]" || $0 == " " || $0 == "\t") }
                text.removeFirst(word.count)
                if word == "true" { return .boolean(true) }
                if word == "false" { return .boolean(false) }
                if let number = Int(word.replacingOccurrences(of: "_", with: "")) { return .integer(number) }
                throw Problem(text: "\(word) is not a string, integer, boolean or array (strings need quotes)")
            }
        }
    }
}
