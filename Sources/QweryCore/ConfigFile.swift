import Corpus
import Foundation

/// `$XDG_CONFIG_HOME/qwery/config.toml`: every key optional. A small TOML subset — `key = value`
/// with strings, integers, booleans and arrays of strings, and a `[presets]` table of
/// instruction presets; `#` comments. Errors name the line and the key. Hand-written rather than TOMLKit,
/// which builds toml++ (C++) from source: measured with swift-crypto at 3 min 52 s on a 2-core Zen 3.
package struct ConfigFile: Equatable, Sendable {
    package var folders: [String]?
    package var ignore: [String]?
    package var maximumFileSize: Int?
    package var model: String?
    package var reranker: String?
    package var dimensions: Int?
    package var preset: String?
    package var rerankDepth: Int?
    package var theme: String?
    package var precision: String?
    package var rerankPrecision: String?
    /// Follow symbolic links whose targets are inside the folder being indexed.
    package var followSymlinks: Bool?
    /// `[documents]` caps as written (key → value), e.g. `max_pages = 10000`; see `DocumentSettings`.
    package var documents: [String: Int] = [:]
    /// `[ranking]`: how much tests, examples, vendored, generated files and documentation weigh (percent).
    package var ranking: [String: Int] = [:]
    /// `[documents] pdf_viewer`: a command with `{path}` and `{page}` that opens a PDF at a page.
    package var pdfViewer: String?
    /// name → instruction, in file order.
    package var presets: [(name: String, instruction: String)] = []
    /// Where it was read from, nil when there is no file.
    package var path: String?

    package init() {}

    package static func == (lhs: ConfigFile, rhs: ConfigFile) -> Bool {
        lhs.folders == rhs.folders && lhs.ignore == rhs.ignore && lhs.maximumFileSize == rhs.maximumFileSize
            && lhs.model == rhs.model && lhs.reranker == rhs.reranker && lhs.dimensions == rhs.dimensions
            && lhs.preset == rhs.preset && lhs.rerankDepth == rhs.rerankDepth && lhs.theme == rhs.theme
            && lhs.precision == rhs.precision && lhs.rerankPrecision == rhs.rerankPrecision && lhs.followSymlinks == rhs.followSymlinks
            && lhs.documents == rhs.documents && lhs.ranking == rhs.ranking && lhs.pdfViewer == rhs.pdfViewer && lhs.presets.map(\.name) == rhs.presets.map(\.name)
            && lhs.presets.map(\.instruction) == rhs.presets.map(\.instruction)
    }

    /// A line qwery cannot use.
    package struct ParseError: Error, CustomStringConvertible {
        package let path: String
        package let line: Int
        package let message: String
        package var description: String { line > 0 ? "\(path):\(line): \(message)" : "\(path): \(message)" }
    }

    package static var defaultPath: String {
        Environment.folder("XDG_CONFIG_HOME", fallback: ".config") + "/qwery/config.toml"
    }

    /// The user's configuration (QWERY_CONFIG or the default path); empty when the file does not exist.
    /// Read once per process: model, precision and folder options all consult it while starting.
    package static func load() throws -> ConfigFile {
        try loaded.get()
    }

    private static let loaded = Result<ConfigFile, any Error> {
        let path = Environment.value("QWERY_CONFIG") ?? defaultPath
        guard let text = try readText(path) else { return ConfigFile() }
        var config = try parse(text, path: path)
        config.path = path
        return config
    }

    /// The file's text; nil when there is no file. A file that cannot be read, or is not UTF-8, is an error
    /// that names it: ignoring it would silently drop every setting in it (an `ignore` list among them).
    static func readText(_ path: String) throws -> String? {
        func unreadable(_ reason: String) -> ParseError {
            ParseError(path: path, line: 0, message: "cannot read the configuration file (\(reason)); check its permissions, or point QWERY_CONFIG at another file")
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { return nil }
            throw unreadable(String(cString: strerror(errno)))
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        let array: [UInt8]
        do { array = [UInt8](try handle.readToEnd() ?? Data()) } catch { throw unreadable(String(describing: error)) }
        if let text = String(validating: array, as: UTF8.self) { return text }
        let offset = firstInvalidUTF8Offset(array)
        let line = array[..<offset].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
        throw ParseError(path: path, line: line, message: "byte \(offset) (0x\(String(array[offset], radix: 16, uppercase: true))) is not UTF-8; save the file as UTF-8")
    }

    /// The offset of the first byte that does not start a valid UTF-8 sequence.
    static func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int {
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            let length = lead < 0x80 ? 1 : lead >> 5 == 0b110 ? 2 : lead >> 4 == 0b1110 ? 3 : lead >> 3 == 0b11110 ? 4 : 0
            guard length > 0, index + length <= bytes.count,
                  String(validating: bytes[index..<index + length], as: UTF8.self) != nil else { return index }
            index += length
        }
        return bytes.count
    }

    package static let knownKeys = ["folders", "ignore", "max_file_size", "model", "reranker", "dimensions", "preset",
                            "rerank_depth", "theme", "precision", "rerank_precision", "follow_symlinks"]

    package static func parse(_ text: String, path: String) throws -> ConfigFile {
        var config = ConfigFile()
        var table = ""
        var seen: [String: Int] = [:]
        for (index, rawLine) in text.splitLines().enumerated() {
            let number = index + 1
            let line = stripComment(String(rawLine)).trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]") else { throw ParseError(path: path, line: number, message: "a table header must end with ]") }
                table = String(line.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                guard ["presets", "documents", "ranking"].contains(table) else {
                    throw ParseError(path: path, line: number, message: "unknown table [\(table)]; the tables are [presets], [documents] and [ranking]")
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
            let qualified = table.isEmpty ? key : table + "." + key
            if let first = seen[qualified] {
                throw ParseError(path: path, line: number, message: "\(qualified) is set twice (first on line \(first)); keep one")
            }
            seen[qualified] = number
            if table == "presets" {
                guard !key.isEmpty else {
                    throw ParseError(path: path, line: number, message: "a preset needs a name before the = (name = \"instruction\")")
                }
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
            if table == "ranking" {
                guard RankingSettings.keys.contains(key) else {
                    throw ParseError(path: path, line: number, message: "unknown key ranking.\(key); keys: \(RankingSettings.keys.joined(separator: ", "))")
                }
                config.ranking[key] = try expect(value.integer.flatMap { (0...100).contains($0) ? $0 : nil },
                                                 "a percentage from 0 to 100 (100: not demoted)")
                continue
            }
            if table == "documents" {
                if key == "pdf_viewer" {
                    let command = try expect(value.string, "a string (a command with {path} and {page})")
                    guard command.contains("{path}") else {
                        throw ParseError(path: path, line: number, message: "documents.pdf_viewer must contain {path} (and {page} to open at the page)")
                    }
                    config.pdfViewer = command
                } else if let range = DocumentSettings.ranges[key] {
                    config.documents[key] = try expect(value.integer.flatMap { range.contains($0) ? $0 : nil },
                                                       "an integer from \(range.lowerBound) to \(range.upperBound)")
                } else {
                    throw ParseError(path: path, line: number, message: "unknown key documents.\(key); keys: \(DocumentSettings.ranges.keys.sorted().joined(separator: ", ")), pdf_viewer")
                }
                continue
            }
            switch key {
            case "folders": config.folders = try expect(value.strings, "an array of strings")
            case "ignore": config.ignore = try expect(value.strings, "an array of strings")
            case "max_file_size":
                config.maximumFileSize = try expect(value.integer.flatMap { $0 > 0 ? $0 : nil }, "a positive integer (bytes)")
            case "model": config.model = try expect(value.string, "a string (a model folder)")
            case "reranker": config.reranker = try expect(value.string, "a string (a model folder)")
            case "dimensions":
                config.dimensions = try expect(value.integer.flatMap(Self.validDimensions), "an integer, a multiple of 32 from 32 up to the model's size (32, 64, 128, 256, 512, 768, 1024…)")
            case "preset": config.preset = try expect(value.string, "a string")
            case "rerank_depth":
                config.rerankDepth = try expect(value.integer.flatMap { Self.rerankDepthRange.contains($0) ? $0 : nil },
                                                "an integer from \(Self.rerankDepthRange.lowerBound) to \(Self.rerankDepthRange.upperBound)")
            case "theme": config.theme = try expect(value.string, "a string")
            case "follow_symlinks": config.followSymlinks = try expect(value.boolean, "true or false")
            case "precision", "rerank_precision":
                let precision = try expect(value.string, "a string")
                guard ["exact", "fast", "int8"].contains(precision) else {
                    throw ParseError(path: path, line: number, message: "\(key) must be \"exact\", \"fast\" or \"int8\"")
                }
                if key == "precision" { config.precision = precision } else { config.rerankPrecision = precision }
            default:
                throw ParseError(path: path, line: number, message: "unknown key \(key); keys: \(knownKeys.joined(separator: ", ")), a [presets], a [documents] and a [ranking] table")
            }
        }
        return config
    }

    /// Candidates the reranker may score after a search: 0 (none) to 200 (each costs a forward pass).
    package static let rerankDepthRange = 0...200

    /// An MRL size qwery accepts: a multiple of 32 from 32 (the model's own upper bound is checked on load).
    package static func validDimensions(_ value: Int) -> Int? {
        value >= 32 && value % 32 == 0 ? value : nil
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

        package static func parse(_ text: String) throws -> Value {
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
