/// A document's text as extraction leaves it: sections in reading order, each with the heading path it
/// sits under (its chunks' context) and, for PDFs and notebooks, its page or cell. A chunk never spans
/// two sections, so a PDF hit always names one page.
package struct ExtractedDocument: Sendable, Equatable, Codable {
    package struct Section: Sendable, Equatable, Codable {
        /// Outer to inner: document or chapter title, then headings.
        package var headings: [String]
        package var locator: Locator?
        package var text: String
        /// A notebook code cell or an org/HTML code block: chunked like code.
        package var isCode: Bool

        package init(headings: [String] = [], locator: Locator? = nil, text: String, isCode: Bool = false) {
            self.headings = headings
            self.locator = locator
            self.text = text
            self.isCode = isCode
        }

        static func marker(_ locator: Locator) -> String { "─── \(locator.label) ───" }

        /// The line the preview shows above the section: its page or cell, else its heading.
        package var markerLine: String? {
            if let locator { return Self.marker(locator) }
            guard let heading = headings.last else { return nil }
            return String(repeating: "#", count: min(headings.count, 6)) + " " + heading
        }
    }

    package var sections: [Section]
    /// What extraction could not do but did not stop it (a parser that gave up part-way): said while indexing.
    /// Optional so texts stored before it existed still decode.
    package var warnings: [String]?

    /// Lines (1-based, inclusive) of a page or cell in a document's laid-out text, found by its marker line;
    /// nil when the text has no such page.
    package static func lines(of locator: Locator, in text: String) -> ClosedRange<Int>? {
        let lines = text.splitLines()
        let marker = Section.marker(locator)
        guard let start = lines.firstIndex(of: marker) else { return nil }
        let prefix = "─── \(locator.kind) "
        var end = lines.count
        if let next = lines[(start + 1)...].firstIndex(where: { $0.hasPrefix(prefix) && $0.hasSuffix(" ───") }) { end = next }
        while end > start + 1 && lines[end - 1].isEmpty { end -= 1 }
        return (start + 2)...max(start + 2, end)  // 1-based: the line after the marker to the last before the next
    }

    package init(sections: [Section]) {
        self.sections = sections
    }

    /// Whether any section holds more than white space.
    package var hasText: Bool {
        sections.contains { !$0.text.allSatisfy(\.isWhitespace) }
    }
}
