import Corpus
import Foundation

/// HTML (and EPUB's XHTML chapters) through libxml2's HTML parser, read as a stream (`HTMLTextReader`): the
/// `<title>` and `h1`–`h6` are the heading path, `script`, `style`, `nav`, `template` and other non-content
/// elements are dropped, block elements end paragraphs and `<pre>` keeps its lines.
enum HTMLExtractor {
    static let dropped: Set<String> = ["script", "style", "nav", "template", "noscript", "iframe", "svg", "object", "head", "math"]
    static let blocks: Set<String> = [
        "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "table", "tr", "td", "th", "thead", "tbody", "section", "article",
        "header", "footer", "main", "aside", "blockquote", "figure", "figcaption", "hr", "body", "html", "address", "details",
        "summary", "caption",
    ]

    static func extract(_ bytes: Data, limits: ExtractionLimits = ExtractionLimits()) throws(ExtractionFailure) -> ExtractedDocument {
        let reader = HTMLTextReader.read(bytes, textLimit: limits.maximumTextBytes)
        // Past max_text_mb the parse stopped at once: refused as every document is, without holding all its text.
        if reader.exceededTextLimit { throw .tooMuchText(megabytes: limits.maximumTextBytes >> 20) }
        var document = ExtractedDocument(sections: reader.sections(prefix: [reader.title]))
        if reader.stoppedEarly {
            document.warnings = ["the HTML parser stopped early (the worker's memory cap, [documents] memory_mb, was reached): "
                                 + "only the text before that point is indexed; raise memory_mb to read it all"]
        }
        return document
    }

    /// `h1`…`h6`'s level, nil for any other element.
    static func headingLevel(_ name: String) -> Int? {
        guard name.count == 2, name.first == "h", let level = Int(name.dropFirst()), (1...6).contains(level) else { return nil }
        return level
    }
}
