/// gitignore-style rules (`.gitignore`, `.ignore`, global excludes): the last matching pattern wins,
/// `!` re-includes, a trailing `/` matches only folders, a pattern with a `/` is anchored to the
/// folder of its file, `*` and `?` stay within one path segment, `**` crosses segments.
package struct IgnoreRules: Sendable {
    /// One pattern line, with the folder (relative to the walk's root, "" for the root) it came from.
    struct Pattern: Sendable {
        let glob: [Glob.Step]
        let base: String
        let negated: Bool
        let directoryOnly: Bool
    }

    private(set) var patterns: [Pattern] = []

    package init() {}

    package var isEmpty: Bool { patterns.isEmpty }

    /// Adds the lines of an ignore file found in `base` (a path relative to the root; "" for the root).
    package mutating func add(fileContents: String, base: String) {
        for rawLine in fileContents.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            add(pattern: String(rawLine), base: base)
        }
    }

    /// Adds one pattern line.
    package mutating func add(pattern line: String, base: String = "") {
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
        patterns.append(Pattern(glob: Glob.compile(Array(text.utf8)[...]), base: base, negated: negated, directoryOnly: directoryOnly))
    }

    /// Whether `path` (relative to the root, "/"-separated) is ignored, or nil when no pattern speaks of it.
    package func decision(for path: String, isDirectory: Bool) -> Bool? {
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
            if Glob.matches(pattern.glob, relative) {
                return !pattern.negated
            }
        }
        return nil
    }
}

/// Shell-style glob matching on paths, as gitignore defines it, in time linear in the text: the pattern is
/// compiled into a list of steps (an NFA whose states are positions in that list) and the text is read once
/// while a set of live states is kept (Thompson's simulation, as ripgrep's globset compiles globs to an
/// automaton). A backtracking matcher took exponential time on `*a*a*a*a*b` against `aaa…a`: seconds for a
/// filter from an agent, minutes for a hostile `.gitignore`. Cost: O(pattern × text) for every pattern.
enum Glob {
    /// One step of a compiled pattern.
    enum Step: Equatable {
        /// One byte equal to this.
        case literal(UInt8)
        /// `?`: one byte but `/`.
        case anyByte
        /// `[...]`: one byte but `/` in (or, negated, not in) the ranges.
        case byteClass(ranges: [ClosedRange<UInt8>], negated: Bool)
        /// `*`: any run of bytes without `/`.
        case star
        /// `**/`: zero or more whole folders — this step matches nothing and may skip the next one, ...
        case folders
        /// ... which is any run of bytes that ends in `/`.
        case folderRun
        /// `**` elsewhere: any run of bytes, `/` included.
        case anything
        /// An unterminated `[`: matches nothing (as before).
        case never
    }

    static func compile(_ pattern: ArraySlice<UInt8>) -> [Step] {
        var steps: [Step] = []
        var index = pattern.startIndex
        let star = UInt8(ascii: "*")
        while index < pattern.endIndex {
            let byte = pattern[index]
            switch byte {
            case star:
                if index + 1 < pattern.endIndex && pattern[index + 1] == star {
                    if index + 2 < pattern.endIndex && pattern[index + 2] == UInt8(ascii: "/") {
                        steps += [.folders, .folderRun]
                        index += 3
                    } else {
                        // A run of stars is one step: `***` is `**`, and `*` beside `**` adds nothing.
                        if steps.last == .star || steps.last == .anything { steps.removeLast() }
                        steps.append(.anything)
                        index += 2
                    }
                } else {
                    if steps.last != .star && steps.last != .anything { steps.append(.star) }
                    index += 1
                }
            case UInt8(ascii: "?"):
                steps.append(.anyByte)
                index += 1
            case UInt8(ascii: "["):
                guard let (step, next) = compileClass(pattern, at: index) else {
                    steps.append(.never)
                    return steps
                }
                steps.append(step)
                index = next
            case UInt8(ascii: "\\") where index + 1 < pattern.endIndex:
                steps.append(.literal(pattern[index + 1]))
                index += 2
            default:
                steps.append(.literal(byte))
                index += 1
            }
        }
        return steps
    }

    static func matches(_ pattern: ArraySlice<UInt8>, _ text: ArraySlice<UInt8>) -> Bool {
        matches(compile(pattern), text)
    }

    static func matches(_ steps: [Step], _ text: ArraySlice<UInt8>) -> Bool {
        let slash = UInt8(ascii: "/")
        var live = [Bool](repeating: false, count: steps.count + 1)
        var next = live
        // Steps that may match nothing let the state after them be live too.
        func close(_ states: inout [Bool]) {
            for index in steps.indices where states[index] {
                switch steps[index] {
                case .star, .anything: states[index + 1] = true
                case .folders: states[index + 1] = true; states[index + 2] = true
                default: break
                }
            }
        }
        live[0] = true
        close(&live)
        for byte in text {
            for index in next.indices { next[index] = false }
            var any = false
            for index in steps.indices where live[index] {
                switch steps[index] {
                case .literal(let expected):
                    if byte == expected { next[index + 1] = true; any = true }
                case .anyByte:
                    if byte != slash { next[index + 1] = true; any = true }
                case .byteClass(let ranges, let negated):
                    if byte != slash && ranges.contains(where: { $0.contains(byte) }) != negated { next[index + 1] = true; any = true }
                case .star:
                    if byte != slash { next[index] = true; any = true }
                case .folderRun:
                    next[index] = true
                    if byte == slash { next[index + 1] = true }
                    any = true
                case .folders:
                    break
                case .anything:
                    next[index] = true
                    any = true
                case .never:
                    break
                }
            }
            guard any else { return false }
            close(&next)
            swap(&live, &next)
        }
        return live[steps.count]
    }

    /// A `[...]` class starting at `start`: the step and the index after `]`, nil when it is not closed.
    private static func compileClass(_ pattern: ArraySlice<UInt8>, at start: Int) -> (Step, Int)? {
        var index = start + 1
        var negated = false
        if index < pattern.endIndex && (pattern[index] == UInt8(ascii: "!") || pattern[index] == UInt8(ascii: "^")) {
            negated = true
            index += 1
        }
        var ranges: [ClosedRange<UInt8>] = []
        var first = true
        while index < pattern.endIndex {
            let current = pattern[index]
            if current == UInt8(ascii: "]") && !first {
                return (.byteClass(ranges: ranges, negated: negated), index + 1)
            }
            first = false
            if index + 2 < pattern.endIndex && pattern[index + 1] == UInt8(ascii: "-") && pattern[index + 2] != UInt8(ascii: "]") {
                if current <= pattern[index + 2] { ranges.append(current...pattern[index + 2]) }
                index += 3
            } else {
                ranges.append(current...current)
                index += 1
            }
        }
        return nil
    }
}
