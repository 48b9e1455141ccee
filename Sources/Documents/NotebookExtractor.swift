import Corpus
import Foundation

/// Jupyter `.ipynb` (nbformat 4, and 3's worksheets): markdown and code cells, one section each with its
/// cell number (1-based, counting every cell as Jupyter shows them) as locator; outputs and metadata are
/// dropped. Markdown headings in earlier cells are the heading path of the cells below them.
enum NotebookExtractor {
    static func extract(_ data: Data) throws(ExtractionFailure) -> ExtractedDocument {
        guard let json = try? JSONSerialization.jsonObject(with: data), let notebook = json as? [String: Any] else {
            throw .damaged("notebook", detail: "not JSON")
        }
        // A cell that is not an object (a hand-edited or damaged file) is skipped and said; it still counts as a
        // cell, so the others keep the numbers Jupyter shows.
        var cells = notebook["cells"] as? [Any]
        if cells == nil, let worksheets = notebook["worksheets"] as? [Any] {
            cells = worksheets.flatMap { (($0 as? [String: Any])?["cells"] as? [Any]) ?? [] }
        }
        guard let cells else { throw .damaged("notebook", detail: "no cells") }
        var headings: [(level: Int, text: String)] = []
        var sections: [ExtractedDocument.Section] = []
        var unreadable: [Int] = []
        for (index, element) in cells.enumerated() {
            guard let cell = element as? [String: Any] else {
                unreadable.append(index + 1)
                continue
            }
            let type = cell["cell_type"] as? String ?? ""
            guard type == "markdown" || type == "code" else { continue }
            let source = text(cell["source"] ?? cell["input"])
            if type == "markdown" {
                for line in source.split(separator: "\n") where line.hasPrefix("#") {
                    let level = line.prefix { $0 == "#" }.count
                    let title = line.dropFirst(level).trimmingCharacters(in: .whitespaces)
                    guard level <= 6, !title.isEmpty else { continue }
                    headings.removeAll { $0.level >= level }
                    headings.append((level, title))
                }
            }
            guard !source.allSatisfy(\.isWhitespace) else { continue }
            sections.append(ExtractedDocument.Section(headings: headings.map(\.text), locator: .cell(index + 1), text: source,
                                                      isCode: type == "code"))
        }
        var document = ExtractedDocument(sections: sections)
        if !unreadable.isEmpty {
            let listed = unreadable.prefix(5).map(String.init).joined(separator: ", ") + (unreadable.count > 5 ? ", …" : "")
            document.warnings = ["\(unreadable.count) cell\(unreadable.count == 1 ? " is" : "s are") not a JSON object and "
                                 + "\(unreadable.count == 1 ? "was" : "were") skipped (cell \(listed))"]
        }
        return document
    }

    /// A cell source: one string, or a list of lines that already end in "\n".
    private static func text(_ value: Any?) -> String {
        if let string = value as? String { return string }
        if let lines = value as? [Any] { return lines.compactMap { $0 as? String }.joined() }
        return ""
    }
}
