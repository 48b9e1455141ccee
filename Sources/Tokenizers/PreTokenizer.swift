/// Splits normalized text into the pieces BPE works on, exactly as the Qwen2 regex does in the
/// reference (Oniguruma, leftmost match, alternatives tried in order, greedy with backtracking):
///
///     (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
///
/// A hand-written scanner: every position matches one of the alternatives, so pieces tile the text.
struct PreTokenizer {
    /// The pattern this scanner implements, as tokenizer.json spells it.
    static let qwen2Pattern = #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#

    /// Calls `body` with the byte range of each piece of `utf8`, which must be valid UTF-8.
    static func forEachPiece(in utf8: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) -> Void) {
        guard !utf8.isEmpty else { return }
        var scalars = [UInt32]()
        var offsets = [Int32]()
        scalars.reserveCapacity(utf8.count)
        offsets.reserveCapacity(utf8.count + 1)
        decode(utf8, scalars: &scalars, offsets: &offsets)
        let classes = UnicodeClassTable.classes
        scalars.withUnsafeBufferPointer { scalars in
            classes.withUnsafeBufferPointer { classes in
                let scanner = Scanner(scalars: scalars, classes: classes)
                var start = 0
                while start < scalars.count {
                    let end = scanner.pieceEnd(from: start)
                    body(Int(offsets[start])..<Int(offsets[end]))
                    start = end
                }
            }
        }
    }

    /// Decodes valid UTF-8 into scalar values and the byte offset of each (plus the end offset).
    private static func decode(_ utf8: UnsafeBufferPointer<UInt8>, scalars: inout [UInt32], offsets: inout [Int32]) {
        var index = 0
        let count = utf8.count
        while index < count {
            offsets.append(Int32(index))
            let lead = utf8[index]
            if lead < 0x80 {
                scalars.append(UInt32(lead))
                index += 1
            } else if lead < 0xE0 {
                scalars.append(UInt32(lead & 0x1F) << 6 | UInt32(utf8[index + 1] & 0x3F))
                index += 2
            } else if lead < 0xF0 {
                scalars.append(UInt32(lead & 0x0F) << 12 | UInt32(utf8[index + 1] & 0x3F) << 6 | UInt32(utf8[index + 2] & 0x3F))
                index += 3
            } else {
                scalars.append(UInt32(lead & 0x07) << 18 | UInt32(utf8[index + 1] & 0x3F) << 12
                    | UInt32(utf8[index + 2] & 0x3F) << 6 | UInt32(utf8[index + 3] & 0x3F))
                index += 4
            }
        }
        offsets.append(Int32(count))
    }
}

/// The matching rules of the Qwen2 regex, one alternative after another.
private struct Scanner {
    let scalars: UnsafeBufferPointer<UInt32>
    let classes: UnsafeBufferPointer<UInt8>

    private static let carriageReturn: UInt32 = 0x0D
    private static let lineFeed: UInt32 = 0x0A
    private static let apostrophe: UInt32 = 0x27
    private static let space: UInt32 = 0x20

    private func characterClass(_ index: Int) -> UInt8 {
        classes[Int(scalars[index])]
    }

    private func isNewline(_ index: Int) -> Bool {
        scalars[index] == Self.carriageReturn || scalars[index] == Self.lineFeed
    }

    /// The end (exclusive, in scalars) of the piece that starts at `start`.
    func pieceEnd(from start: Int) -> Int {
        let count = scalars.count
        let scalar = scalars[start]
        let startClass = characterClass(start)

        // (?i:'s|'t|'re|'ve|'m|'ll|'d)
        if scalar == Self.apostrophe, let end = contractionEnd(from: start) {
            return end
        }
        // [^\r\n\p{L}\p{N}]?\p{L}+
        if startClass == UnicodeClassTable.letter {
            return letterRunEnd(from: start + 1)
        }
        if startClass != UnicodeClassTable.number, !isNewline(start),
           start + 1 < count, characterClass(start + 1) == UnicodeClassTable.letter {
            return letterRunEnd(from: start + 2)
        }
        // \p{N}
        if startClass == UnicodeClassTable.number {
            return start + 1
        }
        // ` ?[^\s\p{L}\p{N}]+[\r\n]*`
        var index = start
        if scalar == Self.space, start + 1 < count, characterClass(start + 1) == UnicodeClassTable.other {
            index = start + 1
        }
        if characterClass(index) == UnicodeClassTable.other {
            while index < count && characterClass(index) == UnicodeClassTable.other { index += 1 }
            while index < count && isNewline(index) { index += 1 }
            return index
        }
        // What is left starts with white space.
        var runEnd = start
        var lastNewline = -1
        while runEnd < count && characterClass(runEnd) == UnicodeClassTable.space {
            if isNewline(runEnd) { lastNewline = runEnd }
            runEnd += 1
        }
        // \s*[\r\n]+ : the run up to its last line break.
        if lastNewline >= 0 {
            return lastNewline + 1
        }
        // \s+(?!\S) : the whole run at the end of the text, else all but its last scalar.
        if runEnd == count {
            return runEnd
        }
        if runEnd - start >= 2 {
            return runEnd - 1
        }
        // \s+
        return runEnd
    }

    private func letterRunEnd(from index: Int) -> Int {
        var end = index
        while end < scalars.count && characterClass(end) == UnicodeClassTable.letter { end += 1 }
        return end
    }

    /// The end of a contraction at `start` (an apostrophe), matched case-insensitively as Oniguruma does.
    private func contractionEnd(from start: Int) -> Int? {
        guard start + 1 < scalars.count else { return nil }
        let first = scalars[start + 1]
        if Self.isOneLetterContraction(first) { return start + 2 }
        guard start + 2 < scalars.count else { return nil }
        let second = scalars[start + 2]
        if Self.isR(first) || Self.isV(first) { return Self.isE(second) ? start + 3 : nil }
        if Self.isL(first) && Self.isL(second) { return start + 3 }
        return nil
    }

    // Case-insensitive letters, as generated into UnicodeClassTable.swift's comment (ſ folds to s).
    private static func isOneLetterContraction(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x73, 0x53, 0x17F, 0x74, 0x54, 0x6D, 0x4D, 0x64, 0x44: return true
        default: return false
        }
    }
    private static func isR(_ scalar: UInt32) -> Bool { scalar == 0x72 || scalar == 0x52 }
    private static func isV(_ scalar: UInt32) -> Bool { scalar == 0x76 || scalar == 0x56 }
    private static func isE(_ scalar: UInt32) -> Bool { scalar == 0x65 || scalar == 0x45 }
    private static func isL(_ scalar: UInt32) -> Bool { scalar == 0x6C || scalar == 0x4C }
}
