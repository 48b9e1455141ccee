/// A token from tokenizer.json's `added_tokens`, matched in text before the BPE pipeline runs.
package struct AddedToken: Sendable, Equatable {
    package let id: Int
    package let content: String
    package let isSpecial: Bool
    /// Matched in normalized text rather than raw text.
    package let isNormalized: Bool
    /// Swallows white space to its left or right when matched.
    package let stripsLeft: Bool
    package let stripsRight: Bool
}

/// Finds added tokens in text, leftmost first and longest at a position, as the reference's
/// Aho-Corasick matcher (`MatchKind::LeftmostLongest`) does.
struct AddedTokenMatcher: Sendable {
    /// One stretch of text: either plain text for the pipeline or a matched added token.
    enum Segment: Equatable {
        case text(Range<Int>)
        case token(Int)
    }

    private let tokens: [AddedToken]
    private let contents: [[UInt8]]
    /// For each first byte, the indices of tokens starting with it, longest first.
    private let candidatesByFirstByte: [[Int]]

    init(tokens: [AddedToken]) {
        self.tokens = tokens
        contents = tokens.map { Array($0.content.utf8) }
        var candidates = [[Int]](repeating: [], count: 256)
        for index in tokens.indices {
            guard let first = contents[index].first else { continue }
            candidates[Int(first)].append(index)
        }
        let contents = self.contents
        candidatesByFirstByte = candidates.map { list in list.sorted { contents[$0].count > contents[$1].count } }
    }

    var isEmpty: Bool { tokens.isEmpty }

    /// Splits `utf8` into text stretches and added tokens.
    func split(_ utf8: UnsafeBufferPointer<UInt8>) -> [Segment] {
        var segments: [Segment] = []
        var textStart = 0
        var position = 0
        while position < utf8.count {
            let candidates = candidatesByFirstByte[Int(utf8[position])]
            guard let match = candidates.first(where: { startsWith(utf8, at: position, contents[$0]) }) else {
                position += 1
                continue
            }
            var matchStart = position
            var matchEnd = position + contents[match].count
            if tokens[match].stripsLeft {
                while matchStart > textStart, let width = whitespaceWidth(endingAt: matchStart, in: utf8) {
                    matchStart -= width
                }
            }
            if tokens[match].stripsRight {
                while matchEnd < utf8.count, let width = whitespaceWidth(startingAt: matchEnd, in: utf8) {
                    matchEnd += width
                }
            }
            if matchStart > textStart { segments.append(.text(textStart..<matchStart)) }
            segments.append(.token(tokens[match].id))
            position = matchEnd
            textStart = matchEnd
        }
        if textStart < utf8.count { segments.append(.text(textStart..<utf8.count)) }
        return segments
    }

    private func startsWith(_ utf8: UnsafeBufferPointer<UInt8>, at position: Int, _ needle: [UInt8]) -> Bool {
        guard position + needle.count <= utf8.count else { return false }
        for index in needle.indices where utf8[position + index] != needle[index] { return false }
        return true
    }

    private func whitespaceWidth(startingAt position: Int, in utf8: UnsafeBufferPointer<UInt8>) -> Int? {
        var decoder = UTF8()
        var iterator = UnsafeBufferPointer(rebasing: utf8[position...]).makeIterator()
        guard case .scalarValue(let scalar) = decoder.decode(&iterator), scalar.properties.isWhitespace else { return nil }
        return UTF8.width(scalar)
    }

    private func whitespaceWidth(endingAt position: Int, in utf8: UnsafeBufferPointer<UInt8>) -> Int? {
        var start = position - 1
        while start > 0 && utf8[start] & 0xC0 == 0x80 { start -= 1 }
        guard let width = whitespaceWidth(startingAt: start, in: utf8), start + width == position else { return nil }
        return width
    }
}
