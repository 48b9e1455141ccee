/// Where in a document a chunk sits when lines alone do not say it: a PDF page or a notebook cell
/// (1-based). Every face shows it (`page 3`, `"page": 3`), and MCP `get` takes it.
package enum Locator: Sendable, Equatable, Hashable, Codable {
    case page(Int)
    case cell(Int)

    /// The stored kind ("page" or "cell") and number.
    package var kind: String {
        switch self {
        case .page: return "page"
        case .cell: return "cell"
        }
    }

    package var number: Int {
        switch self {
        case .page(let number), .cell(let number): return number
        }
    }

    package init?(kind: String?, number: Int?) {
        guard let kind, let number else { return nil }
        switch kind {
        case "page": self = .page(number)
        case "cell": self = .cell(number)
        default: return nil
        }
    }

    /// "page 3", "cell 12": how the list, grep-style output and the preview name it.
    package var label: String { "\(kind) \(number)" }
}
