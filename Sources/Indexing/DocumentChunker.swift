import Corpus

/// An extracted document laid out as the text the preview shows, and chunked section by section: each
/// section's marker line (`─── page 3 ───`, `## Heading`), then its text. Chunks never cross a section,
/// carry its heading path as context and its page or cell as locator, and never include a marker line.
package struct DocumentLayout: Sendable, Equatable {
    package let text: String
    /// Each section's text lines (0-based, end exclusive) in `text`.
    let sectionLines: [Range<Int>]

    package init(_ document: ExtractedDocument) {
        var text = ""
        var lineCount = 0
        var ranges: [Range<Int>] = []
        for section in document.sections {
            if !text.isEmpty {
                text += "\n"
                lineCount += 1
            }
            if let marker = section.markerLine {
                text += marker + "\n"
                lineCount += 1
            }
            var body = section.text
            while body.hasSuffix("\n") { body.removeLast() }
            let bodyLines = body.split(separator: "\n", omittingEmptySubsequences: false).count
            ranges.append(lineCount..<lineCount + bodyLines)
            text += body + "\n"
            lineCount += bodyLines
        }
        self.text = text
        sectionLines = ranges
    }
}

extension Chunker {
    /// The chunks of an extracted document, with line numbers in `DocumentLayout(document).text`.
    package func chunks(of document: ExtractedDocument) -> [Chunk] {
        let layout = DocumentLayout(document)
        let lines = SourceLines(layout.text)
        var chunks: [Chunk] = []
        for (section, range) in zip(document.sections, layout.sectionLines) where !range.isEmpty {
            let context = section.headings.filter { !$0.isEmpty }.joined(separator: " > ")
            let blocks = section.isCode
                ? [Block(lines: range, context: context)]
                : ParagraphBlocks.split(lines, range: range, context: context)
            for var chunk in merge(blocks, lines: lines) {
                chunk.locator = section.locator
                chunks.append(chunk)
            }
        }
        return chunks
    }
}
