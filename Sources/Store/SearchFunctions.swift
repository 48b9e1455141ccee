import Corpus
import GRDB

/// The SQL functions the full-text triggers call to fill `chunk_fts`'s extra columns (identifier parts
/// and stems, the file's name and folders relative to its root). Registered on every connection that
/// may write chunks: the words come from `Corpus.SearchTerms`, the same rules the query side uses.
/// (With them the function a filtered search reads with, `KeptRows`, which read-only connections add alone.)
enum SearchFunctions {
    static func register(_ db: Database) {
        db.add(function: variants)
        db.add(function: nameWords)
        db.add(function: folderWords)
        KeptRows.register(db)
    }

    /// `qwery_variants(text)`: identifier parts, stems and compatibility forms the text's own words lack.
    static let variants = DatabaseFunction("qwery_variants", argumentCount: 1, pure: true) { values in
        guard let text = String.fromDatabaseValue(values[0]) else { return "" }
        return SearchTerms.indexedVariants(text)
    }

    /// `qwery_name_words(path, root)`: the words of the file's name (`HttpRedirect.kt` → `httpredirect kt http redirect`).
    static let nameWords = DatabaseFunction("qwery_name_words", argumentCount: 2, pure: true) { values in
        let relative = relativePath(values)
        let name = relative.split(separator: "/").last.map(String.init) ?? relative
        return SearchTerms.pathWords(name)
    }

    /// `qwery_folder_words(path, root)`: the words of the folders between the root and the file.
    static let folderWords = DatabaseFunction("qwery_folder_words", argumentCount: 2, pure: true) { values in
        let folders = relativePath(values).split(separator: "/").dropLast().joined(separator: "/")
        return SearchTerms.pathWords(folders)
    }

    private static func relativePath(_ values: [DatabaseValue]) -> String {
        let path = String.fromDatabaseValue(values[0]) ?? ""
        let root = String.fromDatabaseValue(values[1]) ?? ""
        return RelativePath.of(path, root: root)
    }
}

/// A path relative to its root folder, as search shows, indexes and filters it.
package enum RelativePath {
    package static func of(_ path: String, root: String) -> String {
        let folder = root.hasSuffix("/") ? root : root + "/"
        return path.hasPrefix(folder) ? String(path.dropFirst(folder.count)) : path
    }
}
