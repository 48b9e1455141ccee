import Corpus
import Foundation

/// ODT: `content.xml`'s `office:text` in order — `text:h` with its outline level as headings, `text:p`
/// (in lists, sections and tables too) as paragraphs, `text:s`/`text:tab`/`text:line-break` as spacing;
/// tracked deletions and annotations are not text.
enum OpenDocumentExtractor {
    static func extract(_ data: Data, limits: ExtractionLimits) throws(ExtractionFailure) -> ExtractedDocument {
        let parts = try ZipParts(data: data, format: "ODT", limits: limits)
        if let manifest = try parts.read("META-INF/manifest.xml"),
           let tree = try? XMLTree(xml: manifest, part: "META-INF/manifest.xml", format: "ODT"),
           tree.root?.firstDescendant("encryption-data") != nil {
            throw .encrypted("ODT")
        }
        guard let content = try parts.read("content.xml") else { throw .damaged("ODT", detail: "no content.xml") }
        let tree = try XMLTree(xml: content, part: "content.xml", format: "ODT")
        guard let text = tree.root?.firstDescendant("body")?.elements("text").first else { return ExtractedDocument(sections: []) }
        var builder = SectionBuilder()
        walk(text, into: &builder)
        return ExtractedDocument(sections: builder.finish())
    }

    static let skipped: Set<String> = ["tracked-changes", "annotation", "sequence-decls", "note-citation", "table-of-content"]

    private static func walk(_ node: XMLNode, into builder: inout SectionBuilder) {
        for child in node.children where child.isElement && !skipped.contains(child.name) {
            switch child.name {
            case "h":
                var text = ""
                inline(child, into: &text)
                builder.heading(text, level: child.attribute("outline-level").flatMap(Int.init) ?? 1)
            case "p":
                var text = ""
                inline(child, into: &text)
                for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    if index > 0 { builder.breakLine() }
                    builder.append(String(line))
                }
                builder.endParagraph()
            default:
                walk(child, into: &builder)
            }
        }
    }

    private static func inline(_ node: XMLNode, into text: inout String) {
        for child in node.children {
            if child.isText {
                text += child.content
                continue
            }
            guard child.isElement, !skipped.contains(child.name) else { continue }
            switch child.name {
            case "s": text += String(repeating: " ", count: min(child.attribute("c").flatMap(Int.init) ?? 1, 1000))
            case "tab": text += "\t"
            case "line-break": text += "\n"
            case "note": continue
            default: inline(child, into: &text)
            }
        }
    }
}
