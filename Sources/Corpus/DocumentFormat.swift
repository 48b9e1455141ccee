/// A file whose text must be extracted before it is chunked, from its name. Plain text, Markdown, org
/// and code are read as they are (`FileKind`).
package enum DocumentFormat: String, Sendable, Equatable, CaseIterable, Codable {
    case pdf
    case docx
    case odt
    case epub
    case html
    case notebook

    package init?(path: String) {
        switch FileKind.fileExtension(ofPath: path) {
        case "pdf": self = .pdf
        case "docx": self = .docx
        case "odt": self = .odt
        case "epub": self = .epub
        case "html", "htm", "xhtml": self = .html
        case "ipynb": self = .notebook
        default: return nil
        }
    }

    /// How `qwery status` and skip reasons name the format.
    package var displayName: String {
        switch self {
        case .pdf: return "PDF"
        case .docx: return "Word (DOCX)"
        case .odt: return "OpenDocument (ODT)"
        case .epub: return "EPUB"
        case .html: return "HTML"
        case .notebook: return "Jupyter notebook"
        }
    }
}
