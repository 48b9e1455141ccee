import Corpus
import Foundation

/// EPUB: the package document named by `META-INF/container.xml`, its spine read in order; each XHTML
/// chapter through the HTML extractor, its title (first heading, else its `<title>`) heading every
/// section of it. A chapter under DRM (`META-INF/encryption.xml`, fonts excepted) makes it encrypted.
enum EPUBExtractor {
    static func extract(_ data: Data, limits: ExtractionLimits) throws(ExtractionFailure) -> ExtractedDocument {
        let parts = try ZipParts(data: data, format: "EPUB", limits: limits)
        guard let container = try parts.read("META-INF/container.xml") else {
            throw .damaged("EPUB", detail: "no META-INF/container.xml")
        }
        let containerTree = try XMLTree(xml: container, part: "META-INF/container.xml", format: "EPUB")
        guard let packagePath = containerTree.root?.firstDescendant("rootfile")?.attribute("full-path"),
              let packageBytes = try parts.read(packagePath) else {
            throw .damaged("EPUB", detail: "the container names no package document")
        }
        let package = try XMLTree(xml: packageBytes, part: packagePath, format: "EPUB")
        let base = (packagePath as NSString).deletingLastPathComponent
        var hrefs: [String: (path: String, type: String)] = [:]
        for item in package.root?.firstDescendant("manifest")?.elements("item") ?? [] {
            guard let id = item.attribute("id"), let href = item.attribute("href") else { continue }
            hrefs[id] = (resolve(href, base: base), item.attribute("media-type") ?? "")
        }
        let encrypted = try encryptedPaths(parts)
        var sections: [ExtractedDocument.Section] = []
        for reference in package.root?.firstDescendant("spine")?.elements("itemref") ?? [] {
            guard let id = reference.attribute("idref"), let item = hrefs[id], item.type.contains("html") else { continue }
            if encrypted.contains(item.path) { throw .encrypted("EPUB") }
            guard let bytes = try parts.read(item.path) else { continue }
            if XMLTree.declaresEntities(bytes) { throw .entityDeclarations(part: item.path) }
            let chapter = HTMLTextReader.read(bytes)
            sections += chapter.sections(prefix: [chapter.firstHeading ?? chapter.title])
        }
        return ExtractedDocument(sections: sections)
    }

    /// Paths of parts encrypted for DRM (font obfuscation is not encryption of text).
    private static func encryptedPaths(_ parts: ZipParts) throws(ExtractionFailure) -> Set<String> {
        guard let bytes = try parts.read("META-INF/encryption.xml"),
              let tree = try? XMLTree(xml: bytes, part: "META-INF/encryption.xml", format: "EPUB"), let root = tree.root else { return [] }
        var paths: Set<String> = []
        for data in root.elements("EncryptedData") {
            let algorithm = data.firstDescendant("EncryptionMethod")?.attribute("Algorithm") ?? ""
            if algorithm.contains("embedding") || algorithm.contains("obfuscat") || algorithm.hasSuffix("pdf/enc#RC") { continue }
            if let uri = data.firstDescendant("CipherReference")?.attribute("URI") { paths.insert(resolve(uri, base: "")) }
        }
        return paths
    }

    /// A manifest href as an archive path: percent-decoded, relative to the package document, `..` applied.
    static func resolve(_ href: String, base: String) -> String {
        let decoded = (href.removingPercentEncoding ?? href).split(separator: "#").first.map(String.init) ?? ""
        var components: [Substring] = base.isEmpty ? [] : base.split(separator: "/")
        for component in decoded.split(separator: "/") {
            if component == ".." { _ = components.popLast() } else if component != "." { components.append(component) }
        }
        return components.joined(separator: "/")
    }
}
