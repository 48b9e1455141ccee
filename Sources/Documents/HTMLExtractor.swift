import Corpus

/// HTML (and EPUB's XHTML chapters) through libxml2's HTML parser: the `<title>` and `h1`–`h6` are the
/// heading path, `script`, `style`, `nav`, `template` and other non-content elements are dropped,
/// block elements end paragraphs and `<pre>` keeps its lines.
enum HTMLExtractor {
    static let dropped: Set<String> = ["script", "style", "nav", "template", "noscript", "iframe", "svg", "object", "head", "math"]
    static let blocks: Set<String> = [
        "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "table", "tr", "td", "th", "thead", "tbody", "section", "article",
        "header", "footer", "main", "aside", "blockquote", "figure", "figcaption", "hr", "body", "html", "address", "details",
        "summary", "caption",
    ]

    static func extract(_ bytes: [UInt8]) throws(ExtractionFailure) -> ExtractedDocument {
        let tree = try XMLTree(html: bytes)
        guard let root = tree.root else { return ExtractedDocument(sections: []) }
        let title = root.firstDescendant("title").map { SectionBuilder.collapsed($0.textContent) } ?? ""
        return ExtractedDocument(sections: sections(root, prefix: [title]))
    }

    /// The sections below `root`, every heading path starting with `prefix`.
    static func sections(_ root: XMLNode, prefix: [String]) -> [ExtractedDocument.Section] {
        var builder = SectionBuilder(prefix: prefix)
        walk(root, into: &builder)
        return builder.finish()
    }

    /// The first heading's text (an EPUB chapter's title), or nil.
    static func firstHeading(_ root: XMLNode) -> String? {
        for level in 1...3 {
            if let heading = root.firstDescendant("h\(level)") {
                let text = SectionBuilder.collapsed(visibleText(heading))
                if !text.isEmpty { return text }
            }
        }
        return nil
    }

    private static func walk(_ node: XMLNode, into builder: inout SectionBuilder) {
        for child in node.children {
            if child.isText {
                builder.append(child.content)
                continue
            }
            guard child.isElement else { continue }
            let name = child.name.lowercased()
            if dropped.contains(name) { continue }
            if name.count == 2, name.first == "h", let level = Int(name.dropFirst()), (1...6).contains(level) {
                builder.heading(visibleText(child), level: level)
            } else if name == "pre" {
                builder.appendVerbatim(visibleText(child))
            } else if name == "br" {
                builder.breakLine()
            } else if blocks.contains(name) {
                builder.endParagraph()
                walk(child, into: &builder)
                builder.endParagraph()
            } else {
                walk(child, into: &builder)
            }
        }
    }

    /// Text below a node without the dropped elements' text.
    private static func visibleText(_ node: XMLNode) -> String {
        var text = ""
        for child in node.children {
            if child.isText {
                text += child.content
            } else if child.isElement, !dropped.contains(child.name.lowercased()) {
                text += child.name.lowercased() == "br" ? "\n" : visibleText(child)
            }
        }
        return text
    }
}
