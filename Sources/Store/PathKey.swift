/// A path as its bytes, for keys and comparisons. Swift's `String ==` and hashing treat canonically
/// equivalent strings as equal, so `café.md` in NFC and in NFD (both exist side by side when notes sync
/// from a Mac) would be one file; the file system, SQLite and qwery keep them two.
package struct PathKey: Hashable, Sendable {
    package let bytes: [UInt8]

    package init(_ path: String) {
        bytes = Array(path.utf8)
    }
}

extension String {
    /// Whether two paths are the same bytes (not merely canonically equivalent text).
    package func isSamePath(as other: String?) -> Bool {
        guard let other else { return false }
        return utf8.elementsEqual(other.utf8)
    }
}
