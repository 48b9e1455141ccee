/// A file's text as lines with their byte offsets, the unit every chunker works in.
struct SourceLines {
    let text: String
    let utf8: [UInt8]
    /// Byte offset where each line starts; one extra entry holds the end of the text.
    let starts: [Int]

    init(_ text: String) {
        self.text = text
        utf8 = Array(text.utf8)
        var starts = [0]
        for (index, byte) in utf8.enumerated() where byte == 0x0A && index + 1 < utf8.count {
            starts.append(index + 1)
        }
        if utf8.isEmpty { starts = [0] }
        starts.append(utf8.count)
        self.starts = starts
    }

    var count: Int { starts.count - 1 }

    /// Line `index` (0-based) without its line break.
    func line(_ index: Int) -> Substring {
        let bytes = utf8[starts[index]..<starts[index + 1]]
        var end = bytes.endIndex
        while end > bytes.startIndex && (utf8[end - 1] == 0x0A || utf8[end - 1] == 0x0D) { end -= 1 }
        return Substring(String(decoding: utf8[starts[index]..<end], as: UTF8.self))
    }

    /// The text of lines `range` (0-based, end exclusive), line breaks included.
    func text(_ range: Range<Int>) -> String {
        String(decoding: utf8[starts[range.lowerBound]..<starts[range.upperBound]], as: UTF8.self)
    }

    func byteRange(_ range: Range<Int>) -> Range<Int> {
        starts[range.lowerBound]..<starts[range.upperBound]
    }

    func isBlank(_ index: Int) -> Bool {
        line(index).allSatisfy { $0 == " " || $0 == "\t" }
    }

    /// Columns of leading white space (a tab counts 4).
    func indentation(_ index: Int) -> Int {
        var width = 0
        for character in line(index) {
            if character == " " { width += 1 } else if character == "\t" { width += 4 } else { break }
        }
        return width
    }
}
