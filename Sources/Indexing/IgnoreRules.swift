/// gitignore-style rules (`.gitignore`, `.ignore`, global excludes): the last matching pattern wins,
/// `!` re-includes, a trailing `/` matches only folders, a pattern with a `/` is anchored to the
/// folder of its file, `*` and `?` stay within one path segment, `**` crosses segments.
public struct IgnoreRules: Sendable {
    /// One pattern line, with the folder (relative to the walk's root, "" for the root) it came from.
    struct Pattern: Sendable {
        let glob: [UInt8]
        let base: String
        let negated: Bool
        let directoryOnly: Bool
    }

    private(set) var patterns: [Pattern] = []

    public init() {}

    public var isEmpty: Bool { patterns.isEmpty }

    /// Adds the lines of an ignore file found in `base` (a path relative to the root; "" for the root).
    public mutating func add(fileContents: String, base: String) {
        for rawLine in fileContents.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            add(pattern: String(rawLine), base: base)
        }
    }

    /// Adds one pattern line.
    public mutating func add(pattern line: String, base: String = "") {
        var text = line
        // Trailing spaces are ignored unless escaped with a backslash.
        while text.hasSuffix(" ") && !text.hasSuffix("\\ ") { text.removeLast() }
        if text.isEmpty || text.hasPrefix("#") { return }
        var negated = false
        if text.hasPrefix("!") {
            negated = true
            text.removeFirst()
        } else if text.hasPrefix("\\!") || text.hasPrefix("\\#") {
            text.removeFirst()
        }
        var directoryOnly = false
        if text.hasSuffix("/") {
            directoryOnly = true
            text.removeLast()
        }
        if text.isEmpty { return }
        // A slash at the start or in the middle anchors the pattern to `base`; otherwise it matches at any depth.
        let anchored = text.contains("/")
        if text.hasPrefix("/") { text.removeFirst() }
        if !anchored && !text.hasPrefix("**/") { text = "**/" + text }
        patterns.append(Pattern(glob: Array(text.utf8), base: base, negated: negated, directoryOnly: directoryOnly))
    }

    /// Whether `path` (relative to the root, "/"-separated) is ignored, or nil when no pattern speaks of it.
    public func decision(for path: String, isDirectory: Bool) -> Bool? {
        let bytes = Array(path.utf8)
        for pattern in patterns.reversed() {
            if pattern.directoryOnly && !isDirectory { continue }
            let relative: ArraySlice<UInt8>
            if pattern.base.isEmpty {
                relative = bytes[...]
            } else {
                let prefix = Array((pattern.base + "/").utf8)
                guard bytes.starts(with: prefix) else { continue }
                relative = bytes[prefix.count...]
            }
            if Glob.matches(pattern.glob[...], relative) {
                return !pattern.negated
            }
        }
        return nil
    }
}

/// Shell-style glob matching on paths, as gitignore defines it.
enum Glob {
    static func matches(_ pattern: ArraySlice<UInt8>, _ text: ArraySlice<UInt8>) -> Bool {
        var pattern = pattern
        var text = text
        let slash = UInt8(ascii: "/")
        while let head = pattern.first {
            switch head {
            case UInt8(ascii: "*"):
                if pattern.starts(with: Array("**/".utf8)) {
                    // Zero or more whole folders.
                    let rest = pattern.dropFirst(3)
                    if matches(rest, text) { return true }
                    var index = text.startIndex
                    while index < text.endIndex {
                        if text[index] == slash, matches(rest, text[(index + 1)...]) { return true }
                        index += 1
                    }
                    return false
                }
                if pattern.starts(with: Array("**".utf8)) {
                    // Trailing `/**` or `**`: everything below.
                    let rest = pattern.dropFirst(2)
                    if rest.isEmpty { return true }
                    var index = text.startIndex
                    while index <= text.endIndex {
                        if matches(rest, text[index...]) { return true }
                        index += 1
                    }
                    return false
                }
                let rest = pattern.dropFirst()
                var index = text.startIndex
                while true {
                    if matches(rest, text[index...]) { return true }
                    if index == text.endIndex || text[index] == slash { return false }
                    index += 1
                }
            case UInt8(ascii: "?"):
                guard let character = text.first, character != slash else { return false }
                pattern = pattern.dropFirst()
                text = text.dropFirst()
            case UInt8(ascii: "["):
                guard let character = text.first, character != slash,
                      let (matched, rest) = matchClass(pattern, character) else { return false }
                if !matched { return false }
                pattern = rest
                text = text.dropFirst()
            case UInt8(ascii: "\\") where pattern.count > 1:
                let literal = pattern[pattern.startIndex + 1]
                guard text.first == literal else { return false }
                pattern = pattern.dropFirst(2)
                text = text.dropFirst()
            default:
                guard text.first == head else { return false }
                pattern = pattern.dropFirst()
                text = text.dropFirst()
            }
        }
        return text.isEmpty
    }

    /// Matches one character against a `[...]` class; returns whether it matched and the pattern after the class.
    private static func matchClass(_ pattern: ArraySlice<UInt8>, _ character: UInt8) -> (Bool, ArraySlice<UInt8>)? {
        var index = pattern.startIndex + 1
        var negated = false
        if index < pattern.endIndex && (pattern[index] == UInt8(ascii: "!") || pattern[index] == UInt8(ascii: "^")) {
            negated = true
            index += 1
        }
        var matched = false
        var first = true
        while index < pattern.endIndex {
            let current = pattern[index]
            if current == UInt8(ascii: "]") && !first {
                return (matched != negated, pattern[(index + 1)...])
            }
            first = false
            if index + 2 < pattern.endIndex && pattern[index + 1] == UInt8(ascii: "-") && pattern[index + 2] != UInt8(ascii: "]") {
                if character >= current && character <= pattern[index + 2] { matched = true }
                index += 3
            } else {
                if character == current { matched = true }
                index += 1
            }
        }
        return nil
    }
}
