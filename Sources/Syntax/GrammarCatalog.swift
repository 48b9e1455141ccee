/// The grammars qwery builds and the files they parse. Versions are pinned: 0.23.x grammars are ABI 14, the
/// newest the Debian runtime (libtree-sitter 0.20.7) loads; their C sources come from the PyPI sdists, the
/// generic parser headers from the sdist of py-tree-sitter 0.23.2 (the grammar sdists leave them out), and
/// the highlight queries from the grammars' wheels (the sdists leave those out too).
public struct GrammarSpec: Sendable, Equatable {
    /// The name in `qwery grammars` and `lang:` ("python", "cpp").
    public let name: String
    /// The PyPI package and pinned version.
    public let package: String
    public let version: String
    /// The folder of `src/` inside the sdist ("" at its top; "typescript" for tree-sitter-typescript).
    public let sourceFolder: String
    /// The C function returning the language (`tree_sitter_python`).
    public let function: String
    public let extensions: [String]
    /// Grammars whose highlight queries come first (C++ extends C's, as Neovim and Helix read them).
    public let inheritsHighlights: [String]

    init(_ name: String, _ package: String, _ version: String, function: String? = nil, sourceFolder: String = "",
         extensions: [String], inherits: [String] = []) {
        self.name = name
        self.package = package
        self.version = version
        self.function = function ?? "tree_sitter_" + name
        self.sourceFolder = sourceFolder
        self.extensions = extensions
        inheritsHighlights = inherits
    }
}

public enum GrammarCatalog {
    /// The runtime headers' source: parser.h, alloc.h, array.h, ts_assert.h of tree-sitter 0.23.
    public static let headersPackage = (name: "tree-sitter", version: "0.23.2", folder: "tree_sitter/core/lib/src")

    /// TypeScript and TSX are missing: their 0.21–0.23 sdists leave out `common/scanner.h`, which their
    /// scanners include, so they cannot be built from PyPI; tree-sitter-swift is published at ABI 15 only.
    /// Such files keep the indentation chunker.
    public static let all: [GrammarSpec] = [
        GrammarSpec("python", "tree-sitter-python", "0.23.6", extensions: ["py", "pyi"]),
        GrammarSpec("javascript", "tree-sitter-javascript", "0.23.1", extensions: ["js", "jsx", "mjs", "cjs"]),
        GrammarSpec("go", "tree-sitter-go", "0.23.4", extensions: ["go"]),
        GrammarSpec("rust", "tree-sitter-rust", "0.23.2", extensions: ["rs"]),
        GrammarSpec("c", "tree-sitter-c", "0.23.4", extensions: ["c", "h"]),
        GrammarSpec("cpp", "tree-sitter-cpp", "0.23.4", extensions: ["cc", "cpp", "cxx", "hpp", "hh"], inherits: ["c"]),
        GrammarSpec("java", "tree-sitter-java", "0.23.5", extensions: ["java"]),
        GrammarSpec("ruby", "tree-sitter-ruby", "0.23.1", extensions: ["rb"]),
        GrammarSpec("bash", "tree-sitter-bash", "0.23.3", extensions: ["sh", "bash"]),
        // Data: keys as symbols (`compilerOptions.paths`, `tool.poetry.dependencies`). YAML is missing: the
        // tree-sitter-yaml sdist (0.7.2) leaves out the scanner.c its parser needs.
        GrammarSpec("json", "tree-sitter-json", "0.24.8", extensions: ["json"]),
        GrammarSpec("toml", "tree-sitter-toml", "0.7.0", extensions: ["toml"]),
    ]

    public static func spec(named name: String) -> GrammarSpec? {
        all.first { $0.name == name }
    }

    /// The grammar for a file name, by its extension.
    public static func spec(forPath path: String) -> GrammarSpec? {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard name.contains(".") else { return nil }
        let fileExtension = String(name.split(separator: ".").last ?? "").lowercased()
        return all.first { $0.extensions.contains(fileExtension) }
    }
}
