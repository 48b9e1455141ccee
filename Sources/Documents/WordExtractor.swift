import Corpus
import Foundation

/// DOCX: `word/document.xml` paragraphs in order (tables included), with Word's heading styles — read
/// from `word/styles.xml` by name ("heading 1", "Title") or outline level, so localized style ids work —
/// as the heading path. Deleted revisions (`w:delText`) and field codes are not text.
enum WordExtractor {
    static func extract(_ data: Data, limits: ExtractionLimits) throws(ExtractionFailure) -> ExtractedDocument {
        // A password-protected Word file is not a zip at all: an OLE compound file holding EncryptedPackage.
        if data.starts(with: compoundFileMagic) { throw .encrypted("DOCX") }
        let parts = try ZipParts(data: data, format: "DOCX", limits: limits)
        if parts.paths.contains("EncryptedPackage") || parts.paths.isEmpty { throw .encrypted("DOCX") }
        guard let documentBytes = try parts.read("word/document.xml") else {
            throw .damaged("DOCX", detail: "no word/document.xml")
        }
        let levels = try parts.read("word/styles.xml").map { bytes throws(ExtractionFailure) in
            try headingLevels(XMLTree(xml: bytes, part: "word/styles.xml", format: "DOCX"))
        } ?? [:]
        let tree = try XMLTree(xml: documentBytes, part: "word/document.xml", format: "DOCX")
        guard let body = tree.root?.firstDescendant("body") else { return ExtractedDocument(sections: []) }
        var builder = SectionBuilder()
        walk(body, levels: levels, into: &builder)
        return ExtractedDocument(sections: builder.finish())
    }

    /// The signature of an OLE compound file (what Office writes for an encrypted document).
    static let compoundFileMagic: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]

    /// Style id → heading level for heading styles (1-based) and the title style (0, above them).
    static func headingLevels(_ tree: XMLTree) -> [String: Int] {
        var levels: [String: Int] = [:]
        for style in tree.root?.elements("style") ?? [] {
            guard let id = style.attribute("styleId") else { continue }
            let name = (style.elements("name").first?.attribute("val") ?? "").lowercased()
            if name == "title" {
                levels[id] = 0  // above every heading
            } else if name.hasPrefix("heading "), let level = Int(name.dropFirst("heading ".count)) {
                levels[id] = level
            } else if let outline = style.firstDescendant("outlineLvl")?.attribute("val").flatMap(Int.init), outline < 9 {
                levels[id] = outline + 1
            }
        }
        return levels
    }

    private static func walk(_ node: XMLNode, levels: [String: Int], into builder: inout SectionBuilder) {
        for child in node.children where child.isElement {
            if child.name == "p" {
                paragraph(child, levels: levels, into: &builder)
            } else {
                walk(child, levels: levels, into: &builder)
            }
        }
    }

    private static func paragraph(_ node: XMLNode, levels: [String: Int], into builder: inout SectionBuilder) {
        let properties = node.elements("pPr").first
        var level = properties?.elements("pStyle").first?.attribute("val").flatMap { levels[$0] }
        if level == nil, let outline = properties?.elements("outlineLvl").first?.attribute("val").flatMap(Int.init), outline < 9 {
            level = outline + 1
        }
        var text = ""
        runText(node, into: &text)
        if let level {
            builder.heading(text, level: level)
        } else {
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                if index > 0 { builder.breakLine() }
                builder.append(String(line))
            }
            builder.endParagraph()
        }
    }

    private static func runText(_ node: XMLNode, into text: inout String) {
        for child in node.children where child.isElement {
            switch child.name {
            case "t": text += child.textContent
            case "tab": text += "\t"
            case "br", "cr": text += "\n"
            case "pPr", "rPr", "delText", "instrText", "del": continue
            default: runText(child, into: &text)
            }
        }
    }
}
