import CXML2
import Corpus
import Foundation

/// HTML read as a stream of libxml2's SAX events, never as a tree: memory stays the input plus its text
/// (a tree cost about 12× the input, and a 110 MB page hit the worker's memory cap and came back cut short),
/// and no nesting depth loses text (a tree stops at 256 levels without `XML_PARSE_HUGE`: 100,000 nested
/// `div`s or 400 unclosed `span`s dropped the rest of the page). libxml2's HTML parser closes what the
/// page leaves open, so every start has its end event.
///
/// What it keeps follows `HTMLExtractor`: the `<title>` and `h1`–`h6` are the heading path, dropped elements
/// (`script`, `style`, `nav`…) give nothing, block elements end paragraphs and `<pre>` keeps its lines.
final class HTMLTextReader {
    private var builder = SectionBuilder()
    /// Above zero inside a dropped element (how deep).
    private var droppedDepth = 0
    /// A heading or `<pre>` being read whole before it goes to the builder: its level (0 for `<pre>`), depth, text.
    private var capture: (level: Int, depth: Int, text: String)?
    private var inTitle = false
    private(set) var title = ""
    /// The first non-empty `h1`, `h2` and `h3` (an EPUB chapter's title is the first of these by level).
    private(set) var firstHeadings: [Int: String] = [:]
    /// Set when libxml2 stopped early (it could not allocate memory within the worker's cap).
    private(set) var stoppedEarly = false

    /// Stops the parse once well past this much text (`max_text_mb`): the document is refused without holding it all.
    private let textLimit: Int
    private var textBytes = 0
    private(set) var exceededTextLimit = false
    private var context: htmlParserCtxtPtr?

    private init(textLimit: Int) {
        self.textLimit = textLimit
    }

    /// Reads `bytes` (UTF-8 when they are valid UTF-8, else what the page's `<meta>` says, else Latin-1), in place:
    /// a 200 MB page is not copied first.
    static func read(_ bytes: some ContiguousBytes, textLimit: Int = .max) -> HTMLTextReader {
        let reader = HTMLTextReader(textLimit: textLimit)
        bytes.withUnsafeBytes { reader.parse($0) }
        return reader
    }

    private func parse(_ bytes: UnsafeRawBufferPointer) {
        var handler = htmlSAXHandler()
        handler.startElement = { context, name, _ in HTMLTextReader.reader(context).start(name) }
        handler.endElement = { context, name in HTMLTextReader.reader(context).end(name) }
        handler.characters = { context, characters, length in HTMLTextReader.reader(context).text(characters, length) }
        // White space between elements: kept, so two inline words never run together (it collapses anyway).
        handler.ignorableWhitespace = handler.characters
        handler.cdataBlock = handler.characters
        let encoding = String(validating: bytes.bindMemory(to: UInt8.self), as: UTF8.self) != nil ? XML_CHAR_ENCODING_UTF8 : XML_CHAR_ENCODING_NONE
        let me = Unmanaged.passUnretained(self).toOpaque()
        guard let context = htmlCreatePushParserCtxt(&handler, me, nil, 0, nil, encoding) else {
            stoppedEarly = true
            return
        }
        self.context = context
        defer {
            self.context = nil
            htmlFreeParserCtxt(context)
        }
        _ = htmlCtxtUseOptions(context, Int32(HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
                                                  | HTML_PARSE_RECOVER.rawValue))
        let step = 1 << 16
        if let base = bytes.baseAddress {
            let text = base.assumingMemoryBound(to: CChar.self)
            var offset = 0
            while offset < bytes.count, context.pointee.disableSAX == 0 {
                let count = min(step, bytes.count - offset)
                _ = htmlParseChunk(context, text + offset, Int32(count), 0)
                offset += count
            }
        }
        guard !exceededTextLimit else { return }
        _ = htmlParseChunk(context, nil, 0, 1)
        if context.pointee.errNo == Int32(XML_ERR_NO_MEMORY.rawValue) || context.pointee.disableSAX != 0 { stoppedEarly = true }
    }

    /// The sections read, every heading path starting with `prefix` (a page's title, an EPUB chapter's).
    func sections(prefix: [String]) -> [ExtractedDocument.Section] {
        var builder = self.builder
        let outer = prefix.filter { !$0.isEmpty }
        return builder.finish().map { section in
            var section = section
            var path = outer
            for heading in section.headings where path.last != heading { path.append(heading) }
            section.headings = path
            return section
        }
    }

    /// The first heading by level (`h1`, else `h2`, else `h3`), or nil.
    var firstHeading: String? {
        (1...3).lazy.compactMap { self.firstHeadings[$0] }.first
    }

    private static func reader(_ context: UnsafeMutableRawPointer?) -> HTMLTextReader {
        // Only ever the pointer passed to htmlCreatePushParserCtxt above, alive for the whole parse.
        Unmanaged<HTMLTextReader>.fromOpaque(UnsafeRawPointer(context!)).takeUnretainedValue()
    }

    private static func name(_ pointer: UnsafePointer<xmlChar>?) -> String {
        pointer.map { String(cString: $0).lowercased() } ?? ""
    }

    private func start(_ pointer: UnsafePointer<xmlChar>?) {
        let name = Self.name(pointer)
        if name == "title" && title.isEmpty { inTitle = true }
        if droppedDepth > 0 {
            droppedDepth += 1
        } else if HTMLExtractor.dropped.contains(name) {
            droppedDepth = 1
        } else if var open = capture {
            open.depth += 1
            if name == "br" { open.text += "\n" }
            capture = open
        } else if let level = HTMLExtractor.headingLevel(name) {
            capture = (level, 1, "")
        } else if name == "pre" {
            capture = (0, 1, "")
        } else if name == "br" {
            builder.breakLine()
        } else if HTMLExtractor.blocks.contains(name) {
            builder.endParagraph()
        }
    }

    private func end(_ pointer: UnsafePointer<xmlChar>?) {
        let name = Self.name(pointer)
        if name == "title" && inTitle {
            inTitle = false
            title = SectionBuilder.collapsed(title)
        }
        if droppedDepth > 0 {
            droppedDepth -= 1
        } else if var open = capture {
            open.depth -= 1
            capture = open.depth > 0 ? open : nil
            guard open.depth == 0 else { return }
            if open.level == 0 {
                builder.appendVerbatim(open.text)
            } else {
                builder.heading(open.text, level: open.level)
                let heading = SectionBuilder.collapsed(open.text)
                if open.level <= 3, !heading.isEmpty, firstHeadings[open.level] == nil { firstHeadings[open.level] = heading }
            }
        } else if HTMLExtractor.blocks.contains(name) {
            builder.endParagraph()
        }
    }

    private func text(_ characters: UnsafePointer<xmlChar>?, _ length: Int32) {
        guard let characters, length > 0, !exceededTextLimit else { return }
        let text = String(decoding: UnsafeBufferPointer(start: characters, count: Int(length)), as: UTF8.self)
        if inTitle { title += text }
        guard droppedDepth == 0 else { return }
        // Kept text before white space collapses: past twice the cap (and a megabyte) the collapsed text is surely
        // over it too, so the parse stops here; the exact cap is checked on the sections afterwards.
        textBytes += Int(length)
        if (textBytes - (1 << 20)) / 2 > textLimit {
            exceededTextLimit = true
            if let context { xmlStopParser(context) }
            return
        }
        if var open = capture {
            open.text += text
            capture = open
        } else {
            builder.append(text)
        }
    }
}
