import Corpus

/// A pinned PyPI package.
package struct PyPIPackage: Sendable, Hashable, CustomStringConvertible {
    package let name: String
    package let version: String
    package var description: String { "\(name) \(version)" }
}

/// The grammars qwery builds and the files they parse. Versions are pinned: 0.23.x grammars are ABI 14, the
/// newest the Debian runtime (libtree-sitter 0.20.7) loads; their C sources come from the PyPI sdists, the
/// generic parser headers from the sdist of py-tree-sitter 0.23.2 (the grammar sdists leave them out), and
/// the highlight queries from the grammars' wheels (the sdists leave those out too).
package struct GrammarSpec: Sendable, Equatable {
    /// The name in `qwery grammars` and `lang:` ("python", "cpp").
    package let name: String
    /// The grammar's own PyPI package and pinned version: its wheel holds `queries/highlights.scm`.
    package let package: String
    package let version: String
    /// JSX in its files: JavaScript's `highlights-jsx.scm` colours the tags.
    package var hasJSX: Bool { name == "javascript" || name == "tsx" }
    /// Where the C sources come from when the grammar's own sdist cannot build (nil: that sdist).
    package let sources: PyPIPackage?
    /// The folder of `src/` inside the sdist ("" at its top; "parsers/typescript" in tree-sitter-language-pack).
    package let sourceFolder: String
    /// The C function returning the language (`tree_sitter_python`).
    package let function: String
    package let extensions: [String]
    /// Grammars whose highlight queries come first (C++ extends C's, as Neovim and Helix read them).
    package let inheritsHighlights: [String]

    init(_ name: String, _ package: String, _ version: String, function: String? = nil, sources: PyPIPackage? = nil,
         sourceFolder: String = "", extensions: [String], inherits: [String] = []) {
        self.name = name
        self.package = package
        self.version = version
        self.sources = sources
        self.function = function ?? "tree_sitter_" + name
        self.sourceFolder = sourceFolder
        self.extensions = extensions
        inheritsHighlights = inherits
    }

    /// The sdist its C sources come from.
    package var sourcePackage: PyPIPackage { sources ?? PyPIPackage(name: package, version: version) }

    /// What `qwery grammars` says is installed ("0.23.6"; "0.23.2, sources from tree-sitter-language-pack 0.9.1";
    /// "sources from tree-sitter-language-pack 0.9.1" for a grammar with no package of its own that builds).
    package var pinned: String {
        if package == GrammarCatalog.languagePack.name { return "sources from \(GrammarCatalog.languagePack)" }
        return sources.map { "\(version), sources from \($0)" } ?? version
    }

    /// Whether a wheel with `queries/highlights.scm` is published for it (Kotlin's is not: plain preview).
    package var hasHighlightQueries: Bool { package != GrammarCatalog.languagePack.name }
}

package enum GrammarCatalog {
    /// The runtime headers' source: parser.h, alloc.h, array.h, ts_assert.h of tree-sitter 0.23.
    package static let headersPackage = (name: "tree-sitter", version: "0.23.2", folder: "tree_sitter/core/lib/src")

    /// TypeScript, TSX, Swift, Kotlin and PHP cannot be built from their own sdists: tree-sitter-typescript's
    /// (0.21–0.23) and tree-sitter-php 0.23.9's leave out the `common/scanner.h` their scanners include,
    /// tree-sitter-swift is published at ABI 15 only, and tree-sitter-kotlin 1.1.0 misparses plain classes under
    /// this runtime. The sdist of tree-sitter-language-pack 0.9.1 (MIT OR Apache-2.0) carries all five whole and
    /// generated at ABI 14 (typescript at tree-sitter-typescript 75b3874, php at tree-sitter-php 576a56f, swift at
    /// alex-pinkus/tree-sitter-swift ebefe31, kotlin at fwcd/tree-sitter-kotlin 57fb456; its 0.13.0 carries
    /// PHP at ABI 15). One 49 MB download, shared by the five in one install, unpacked only in their folders.
    package static let languagePack = PyPIPackage(name: "tree-sitter-language-pack", version: "0.9.1")

    /// Bumped whenever `qwery grammars install` changes what it puts in a grammar's folder (2: JavaScript's
    /// highlights-jsx.scm is kept); a grammar built by an older recipe is rebuilt by `install --missing`.
    package static let recipe = 2

    package static let all: [GrammarSpec] = [
        GrammarSpec("python", "tree-sitter-python", "0.23.6", extensions: ["py", "pyi"]),
        GrammarSpec("javascript", "tree-sitter-javascript", "0.23.1", extensions: ["js", "jsx", "mjs", "cjs"]),
        GrammarSpec("typescript", "tree-sitter-typescript", "0.23.2", sources: languagePack, sourceFolder: "parsers/typescript",
                    extensions: ["ts", "mts", "cts"], inherits: ["javascript"]),
        GrammarSpec("tsx", "tree-sitter-typescript", "0.23.2", sources: languagePack, sourceFolder: "parsers/tsx",
                    extensions: ["tsx"], inherits: ["javascript"]),
        GrammarSpec("go", "tree-sitter-go", "0.23.4", extensions: ["go"]),
        GrammarSpec("rust", "tree-sitter-rust", "0.23.2", extensions: ["rs"]),
        GrammarSpec("c", "tree-sitter-c", "0.23.4", extensions: ["c", "h"]),
        GrammarSpec("cpp", "tree-sitter-cpp", "0.23.4", extensions: ["cc", "cpp", "cxx", "hpp", "hh"], inherits: ["c"]),
        GrammarSpec("java", "tree-sitter-java", "0.23.5", extensions: ["java"]),
        GrammarSpec("ruby", "tree-sitter-ruby", "0.23.1", extensions: ["rb"]),
        GrammarSpec("bash", "tree-sitter-bash", "0.23.3", extensions: ["sh", "bash"]),
        GrammarSpec("swift", "tree-sitter-swift", "0.7.2", sources: languagePack, sourceFolder: "parsers/swift", extensions: ["swift"]),
        GrammarSpec("csharp", "tree-sitter-c-sharp", "0.23.1", function: "tree_sitter_c_sharp", extensions: ["cs"]),
        // tree-sitter-kotlin 1.1.0 from PyPI builds but misparses plain classes under this runtime (probed:
        // `class Ledger(val total: Int) {` is an ERROR); the language-pack's reads it. No Kotlin queries are on PyPI.
        GrammarSpec("kotlin", languagePack.name, languagePack.version, sourceFolder: "parsers/kotlin", extensions: ["kt", "kts"]),
        GrammarSpec("scala", "tree-sitter-scala", "0.23.4", extensions: ["scala"]),
        GrammarSpec("lua", "tree-sitter-lua", "0.2.0", extensions: ["lua"]),
        GrammarSpec("php", "tree-sitter-php", "0.23.11", sources: languagePack, sourceFolder: "parsers/php", extensions: ["php"]),
        // Data: keys as symbols (`compilerOptions.paths`, `tool.poetry.dependencies`). YAML is missing: the
        // tree-sitter-yaml sdists leave out the scanner.c (0.7.2) or the schema.core.c it includes (0.7.0,
        // 0.7.1), and tree-sitter-language-pack carries no YAML.
        GrammarSpec("json", "tree-sitter-json", "0.24.8", extensions: ["json"]),
        GrammarSpec("toml", "tree-sitter-toml", "0.7.0", extensions: ["toml"]),
    ]

    package static func spec(named name: String) -> GrammarSpec? {
        all.first { $0.name == name }
    }

    /// The grammar for a file name, by its extension.
    package static func spec(forPath path: String) -> GrammarSpec? {
        let fileExtension = FileKind.fileExtension(ofPath: path)
        guard !fileExtension.isEmpty else { return nil }
        return all.first { $0.extensions.contains(fileExtension) }
    }
}
