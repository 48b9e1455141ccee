/// A long line as the units a cut may fall between: each word with the white space after it, and a run
/// without white space longer than a piece split into runs of whole grapheme clusters (Swift `Character`s),
/// so a cut never lands inside a word that fits a piece, nor inside a character.
enum LongLineWords {
    struct Word: Equatable {
        /// UTF-8 offsets within the line.
        let bytes: Range<Int>
        let tokens: Int
    }

    static func split(_ line: String, maximumTokens: Int, tokenCount: (String) -> Int) -> [Word] {
        var words: [Word] = []
        var offset = 0
        for piece in wordsWithTrailingSpace(line) {
            let byteCount = piece.utf8.count
            let tokens = tokenCount(String(piece))
            if tokens <= maximumTokens {
                words.append(Word(bytes: offset..<offset + byteCount, tokens: tokens))
            } else {
                words += graphemeRuns(piece, startingAt: offset, tokens: tokens, maximumTokens: maximumTokens,
                                      tokenCount: tokenCount)
            }
            offset += byteCount
        }
        return words
    }

    /// "a  b c" → ["a  ", "b ", "c"]; leading white space stays with the first word.
    private static func wordsWithTrailingSpace(_ line: String) -> [Substring] {
        var pieces: [Substring] = []
        var start = line.startIndex
        var inSpace = false
        var sawWord = false
        for index in line.indices {
            let isSpace = line[index].isWhitespace
            if !isSpace && inSpace && sawWord {
                pieces.append(line[start..<index])
                start = index
            }
            if !isSpace { sawWord = true }
            inSpace = isSpace
        }
        if start < line.endIndex { pieces.append(line[start...]) }
        return pieces
    }

    /// A run without white space, cut into runs of about `maximumTokens` between grapheme clusters: the
    /// length of each is estimated from the run's tokens per character, then measured.
    private static func graphemeRuns(_ run: Substring, startingAt offset: Int, tokens: Int, maximumTokens: Int,
                                     tokenCount: (String) -> Int) -> [Word] {
        let characters = Array(run)
        let perRun = max(1, characters.count * maximumTokens / max(1, tokens))
        var runs: [Word] = []
        var byteOffset = offset
        var start = 0
        while start < characters.count {
            let end = min(characters.count, start + perRun)
            let text = String(characters[start..<end])
            let byteCount = text.utf8.count
            runs.append(Word(bytes: byteOffset..<byteOffset + byteCount, tokens: tokenCount(text)))
            byteOffset += byteCount
            start = end
        }
        return runs
    }
}
