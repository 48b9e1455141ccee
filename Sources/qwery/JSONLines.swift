import Foundation
import QweryCore

/// Reads JSON Lines objects from standard input and writes one output line per input line.
enum JSONLines {
    /// A line that is not a JSON object with the expected string field.
    struct InputError: Error, CustomStringConvertible {
        let line: Int
        let message: String
        var description: String { "stdin line \(line): \(message)" }
    }

    /// Calls `body` with the string `field` of each non-empty input line and prints what it returns.
    static func transform(field: String, _ body: (String) throws -> String) throws {
        let output = BufferedOutput()
        try forEach(field: field, onError: output.flush) { text in
            output.write(try body(text))
        }
        output.flush()
    }

    /// Calls `body` with the string `field` of each non-empty input line. On a bad line, `onError`
    /// runs first (so earlier results are written) and the error names the line.
    static func forEach(field: String, onError: () -> Void, _ body: (String) throws -> Void) throws {
        var lineNumber = 0
        while var line = readLine(strippingNewline: true) {
            lineNumber += 1
            // A UTF-8 byte order mark (Windows editors write one) is not part of the first object.
            if lineNumber == 1, line.hasPrefix("\u{FEFF}") { line.removeFirst() }
            if line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { continue }
            let value: Any
            do {
                value = try JSONSerialization.jsonObject(with: Data(line.utf8), options: [.fragmentsAllowed])
            } catch {
                onError()
                throw InputError(line: lineNumber, message: "not valid JSON (\((error as NSError).userInfo[NSDebugDescriptionErrorKey] ?? error))")
            }
            guard let text = (value as? [String: Any])?[field] as? String else {
                onError()
                throw InputError(line: lineNumber, message: "expected an object with a string \"\(field)\"")
            }
            try body(text)
        }
    }
}

/// Collects output lines and writes them to standard output in large blocks.
final class BufferedOutput {
    private var buffer: [UInt8] = []

    init() {
        buffer.reserveCapacity(1 << 16)
    }

    func write(_ line: String) {
        buffer.append(contentsOf: line.utf8)
        buffer.append(0x0A)
        if buffer.count >= 1 << 16 { flush() }
    }

    func flush() {
        guard !buffer.isEmpty else { return }
        buffer.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            var offset = 0
            while offset < raw.count {
                let written = Foundation.write(1, base + offset, raw.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
