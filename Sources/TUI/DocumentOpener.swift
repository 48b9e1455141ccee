import QweryCore
import Foundation

/// How Enter opens a result that is not a text file: a PDF in a viewer at the hit's page, other documents
/// (DOCX, ODT, EPUB) with the desktop's default application. HTML and notebooks are text: the editor.
package enum DocumentOpener {
    /// Viewers that take a page on their command line, tried in this order when the config names none.
    static let viewers: [(program: String, arguments: [String])] = [
        ("zathura", ["--page={page}", "{path}"]),
        ("evince", ["--page-label={page}", "{path}"]),
        ("okular", ["--page", "{page}", "{path}"]),
    ]

    /// Whether a file opens in a viewer rather than the editor.
    package static func opensInViewer(_ path: String) -> Bool {
        switch DocumentFormat(path: path) {
        case .pdf, .docx, .odt, .epub: return true
        case .html, .notebook, nil: return false
        }
    }

    /// The command (argv) that opens `path` at `page`: `configured` (a command line with `{path}` and `{page}`,
    /// split on spaces) when set, else the first installed viewer, else `xdg-open`.
    package static func command(path: String, page: Int?, configured: String?,
                               isInstalled: (String) -> Bool = DocumentOpener.isInstalled) -> [String] {
        let pageText = String(page ?? 1)
        func fill(_ argument: String) -> String {
            argument.replacingOccurrences(of: "{path}", with: path).replacingOccurrences(of: "{page}", with: pageText)
        }
        if let configured {
            return configured.split(separator: " ").map { fill(String($0)) }
        }
        if DocumentFormat(path: path) == .pdf, let viewer = viewers.first(where: { isInstalled($0.program) }) {
            return [viewer.program] + viewer.arguments.map(fill)
        }
        return ["xdg-open", path]
    }

    /// Whether `program` is an executable on PATH.
    package static func isInstalled(_ program: String) -> Bool {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(program)") }
    }
}
