import Corpus

/// Collects a flowing document (HTML, DOCX, ODT, an EPUB chapter) into sections: every heading opens a
/// section whose heading path is the headings above it by level, paragraphs are separated by a blank
/// line (the chunker's paragraph boundary), and runs of white space inside a paragraph become one space.
struct SectionBuilder {
    private let prefix: [String]
    private var headings: [(level: Int, text: String)] = []
    private var lines: [String] = []
    private var line = ""
    private(set) var sections: [ExtractedDocument.Section] = []

    /// `prefix`: the path above every heading here (a document title, an EPUB chapter).
    init(prefix: [String] = []) {
        self.prefix = prefix.filter { !$0.isEmpty }
    }

    /// Text inside the current paragraph.
    mutating func append(_ text: String) {
        line += text
    }

    /// A hard line break inside a paragraph.
    mutating func breakLine() {
        let collapsed = Self.collapsed(line)
        if !collapsed.isEmpty { lines.append(collapsed) }
        line = ""
    }

    /// Ends the paragraph: the next text starts after a blank line.
    mutating func endParagraph() {
        breakLine()
        if let last = lines.last, !last.isEmpty { lines.append("") }
    }

    /// Text kept as it is (a `<pre>` block): its own paragraph, lines unchanged.
    mutating func appendVerbatim(_ text: String) {
        endParagraph()
        lines += text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        endParagraph()
    }

    /// A heading of `level` (1 = top): closes the section and opens one under it.
    mutating func heading(_ text: String, level: Int) {
        let title = Self.collapsed(text)
        guard !title.isEmpty else { return }
        endSection()
        headings.removeAll { $0.level >= level }
        headings.append((level, title))
    }

    mutating func finish() -> [ExtractedDocument.Section] {
        endSection()
        return sections
    }

    private mutating func endSection() {
        breakLine()
        while lines.last?.isEmpty == true { lines.removeLast() }
        var path = prefix
        for heading in headings.map(\.text) where path.last != heading { path.append(heading) }
        if !lines.isEmpty {
            sections.append(ExtractedDocument.Section(headings: path, text: lines.joined(separator: "\n")))
        } else if !headings.isEmpty {
            // A heading with no text of its own still shows in the preview and is found by its words.
            sections.append(ExtractedDocument.Section(headings: path, text: headings.last?.text ?? ""))
        }
        lines = []
    }

    static func collapsed(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}
