import Testing
@testable import Tokenizers

/// The scanner's pieces for the regex's tricky cases, checked against what the reference splits.
@Suite("Qwen2 regex scanner")
struct PreTokenizerTests {
    static func pieces(_ text: String) -> [String] {
        var text = text
        var result: [String] = []
        text.withUTF8 { utf8 in
            PreTokenizer.forEachPiece(in: utf8) { range in
                result.append(String(decoding: UnsafeBufferPointer(rebasing: utf8[range]), as: UTF8.self))
            }
        }
        return result
    }

    @Test("Given contractions in any case, when split, then the apostrophe part stands alone (ſ folds to s)")
    func contractions() {
        #expect(Self.pieces("it's WE'LL they'Re 'ſx") == ["it", "'s", " WE", "'LL", " they", "'Re", " '", "ſx"])
    }

    @Test("Given runs of white space, when split, then all but the last space stand apart and line breaks end a piece")
    func whitespaceRuns() {
        #expect(Self.pieces("a   b") == ["a", "  ", " b"])
        #expect(Self.pieces("a \n\n  b") == ["a", " \n\n", " ", " b"])
        #expect(Self.pieces("x  ") == ["x", "  "])
        #expect(Self.pieces("1  2") == ["1", " ", " ", "2"])
    }

    @Test("Given digits, punctuation and letters, when split, then digits are single and punctuation takes a leading space")
    func numbersAndPunctuation() {
        #expect(Self.pieces("abc123 !?\n\nx") == ["abc", "1", "2", "3", " !?\n\n", "x"])
        #expect(Self.pieces(".hello") == [".hello"])
    }
}
