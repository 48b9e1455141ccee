import CXML2
import Foundation

/// libxml2 XML parsing with nothing fetched and nothing expanded: no network, no external DTD, no entity
/// substitution, and a part that declares entities at all is refused before it is parsed (Office and
/// EPUB files never need them; a billion-laughs bomb does).
final class XMLTree {
    let document: xmlDocPtr

    /// Parses XML; `part` names it in errors.
    init(xml bytes: [UInt8], part: String, format: String) throws(ExtractionFailure) {
        if Self.declaresEntities(bytes) { throw .entityDeclarations(part: part) }
        // XML_PARSE_HUGE lifts the 256-level depth limit (a DOCX with 90 nested tables is ~300 levels deep and was
        // refused as "not well-formed"). Its other lifts are entity amplification limits, and entities are refused
        // above; what remains is bounded by the worker's memory cap.
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue | XML_PARSE_NOCDATA.rawValue
                            | XML_PARSE_HUGE.rawValue)
        let parsed = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.map { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) { xmlReadMemory($0, Int32(buffer.count), nil, nil, options) }
            } ?? nil
        }
        guard let parsed else { throw .damaged(format, detail: "\(part) is not well-formed XML") }
        document = parsed
    }

    deinit { xmlFreeDoc(document) }

    var root: XMLNode? { xmlDocGetRootElement(document).map(XMLNode.init) }

    /// Whether the bytes hold an entity declaration (only a DTD can: text escapes `<`).
    static func declaresEntities(_ bytes: [UInt8]) -> Bool {
        let needle = Array("<!ENTITY".utf8)
        guard bytes.count >= needle.count else { return false }
        var index = 0
        while let found = bytes[index...].firstIndex(of: 0x3C) {
            if bytes.count - found >= needle.count, bytes[found..<found + needle.count].elementsEqual(needle) { return true }
            index = found + 1
        }
        return false
    }
}

/// A libxml2 node, read-only: element names without prefixes, attributes by local name.
struct XMLNode {
    let pointer: xmlNodePtr

    var isElement: Bool { pointer.pointee.type == XML_ELEMENT_NODE }
    var isText: Bool { pointer.pointee.type == XML_TEXT_NODE || pointer.pointee.type == XML_CDATA_SECTION_NODE }

    /// The local name, lowercased for HTML ("h1"), as written for XML ("p", "outline-level").
    var name: String { pointer.pointee.name.map { String(cString: $0) } ?? "" }

    var namespacePrefix: String? { pointer.pointee.ns?.pointee.prefix.map { String(cString: $0) } }

    var children: [XMLNode] {
        var nodes: [XMLNode] = []
        var child = pointer.pointee.children
        while let node = child {
            nodes.append(XMLNode(pointer: node))
            child = node.pointee.next
        }
        return nodes
    }

    /// A text node's content.
    var content: String { pointer.pointee.content.map { String(cString: $0) } ?? "" }

    /// All text below, in document order.
    var textContent: String {
        guard let raw = xmlNodeGetContent(pointer) else { return "" }
        defer { qwery_xml_free(raw) }
        return String(cString: raw)
    }

    /// The attribute with this local name, whatever its namespace.
    func attribute(_ localName: String) -> String? {
        var property = pointer.pointee.properties
        while let attribute = property {
            if let name = attribute.pointee.name, String(cString: name) == localName {
                guard let value = xmlNodeGetContent(UnsafeMutableRawPointer(attribute).assumingMemoryBound(to: xmlNode.self)) else { return "" }
                defer { qwery_xml_free(value) }
                return String(cString: value)
            }
            property = attribute.pointee.next
        }
        return nil
    }

    /// Element children with this local name.
    func elements(_ localName: String) -> [XMLNode] {
        children.filter { $0.isElement && $0.name == localName }
    }

    /// The first element below (depth first) with this local name.
    func firstDescendant(_ localName: String) -> XMLNode? {
        for child in children where child.isElement {
            if child.name == localName { return child }
            if let found = child.firstDescendant(localName) { return found }
        }
        return nil
    }
}
