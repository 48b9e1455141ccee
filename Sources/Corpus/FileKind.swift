/// What a file is, from its name: how it is chunked, and what `ext:` and `lang:` filters read.
package enum FileKind: Sendable, Equatable {
    case markdown
    /// Emacs org: headings like Markdown's, `#+BEGIN_SRC` blocks kept whole.
    case org
    case code
    case text

    package init(path: String) {
        let name = String(Self.fileName(of: path))
        let fileExtension = Self.fileExtension(of: name)
        if ["md", "markdown", "mdown", "mkd", "mdx"].contains(fileExtension) {
            self = .markdown
        } else if fileExtension == "org" {
            self = .org
        } else if Self.codeExtensions.contains(fileExtension) || ["Makefile", "Dockerfile", "Rakefile"].contains(name) {
            self = .code
        } else {
            self = .text
        }
    }

    /// A path's last component, found from the end byte-wise (a re-scan asks it of every file: splitting the whole
    /// path into components cost microseconds a file).
    package static func fileName(of path: String) -> Substring {
        path.utf8.lastIndex(of: UInt8(ascii: "/")).map { path[path.utf8.index(after: $0)...] } ?? path[...]
    }

    /// The lowercased extension of a path's file name ("" without one).
    package static func fileExtension(ofPath path: String) -> String {
        fileExtension(of: String(fileName(of: path)))
    }

    /// The lowercased extension of a file name ("" without one), as chunking and `ext:` filters read it.
    package static func fileExtension(of name: String) -> String {
        // The last non-empty piece between dots (`a.b.` → `b`, `.bashrc` → `bashrc`), found from the end without
        // splitting the whole name (a filter tests it on every indexed file).
        guard let lastDot = name.lastIndex(of: ".") else { return "" }
        var end = name.endIndex
        var dot: String.Index? = lastDot
        while let found = dot, name.index(after: found) == end {
            end = found
            dot = name[..<end].lastIndex(of: ".")
        }
        return name[(dot.map { name.index(after: $0) } ?? name.startIndex)..<end].lowercased()
    }

    static let codeExtensions: Set<String> = [
        "swift", "py", "pyi", "js", "jsx", "mjs", "cjs", "ts", "tsx", "mts", "cts", "go", "rs", "c", "h", "cc", "cpp", "cxx", "hpp",
        "hh", "m", "mm", "java", "kt", "kts", "scala", "cs", "rb", "php", "sh", "bash", "zsh", "fish", "lua", "pl",
        "pm", "r", "sql", "hs", "ml", "mli", "ex", "exs", "erl", "clj", "dart", "zig", "nim", "jl", "el", "scm",
        "vue", "svelte", "css", "scss", "proto", "gradle", "groovy", "ps1", "vim",
        // Languages without a grammar here, cut as code and their definitions found by keyword (Cython, Clojure and
        // its dialects, Erlang headers, F#, Fortran, Crystal, Racket, Common Lisp, CoffeeScript, Elm, PureScript,
        // Reason, Nix, Terraform, CUDA, shaders, Solidity, Gleam, Odin, Haxe, Starlark, CMake, Tcl, Raku, PowerShell
        // modules, Objective-C++ headers, OCaml's and Erlang's others).
        "pyx", "pxd", "pxi", "cljs", "cljc", "hrl", "fs", "fsi", "fsx", "f90", "f95", "f03", "f08", "cr", "rkt", "lisp", "cl", "coffee",
        "elm", "purs", "re", "rei", "nix", "tf", "hcl", "cu", "cuh", "glsl", "hlsl", "metal", "sol", "gleam", "odin", "hx", "bzl",
        "star", "cmake", "tcl", "raku", "rakumod", "psm1", "eex", "heex", "v", "sv", "vhd", "vhdl",
    ]
}
