import Corpus
import Foundation
import Store
import Testing
@testable import Search

/// What a filter on files keeps, path by path (the byte-wise resolution of session 12 against the rules it replaced).
@Suite("File filters")
struct FileFilterTests {
    static func file(_ path: String, root: String = "/home/alice/notes") -> IndexedFileInfo {
        IndexedFileInfo(id: 1, path: path, modifiedAt: 0, root: root)
    }

    static func keeps(_ query: String, _ file: IndexedFileInfo) throws -> Bool {
        let filters = try QuerySyntax.parse(query).filters
        var globs = filters.compiledGlobs
        return filters.keeps(file, globs: &globs)
    }

    @Test("Given file names of every shape, when their extension is read, then it is the last non-empty piece between dots, lowercased")
    func extensions() {
        let expected = ["a.py": "py", "A.PY": "py", "Makefile": "", ".bashrc": "bashrc", "foo.": "foo", "a.b.": "b", "a..b": "b",
                        "...": "", ".": "", "": "", "x.tar.gz": "gz", "é.Ü": "ü", "a.b..": "b", "..a": "a"]
        for (name, fileExtension) in expected { #expect(FileKind.fileExtension(of: name) == fileExtension, "\(name)") }
    }

    @Test("Given ext:, dir: and path: filters, when files are tested, then each keeps exactly the files its rule names, the root not counting")
    func keepsByRule() throws {
        let deep = Self.file("/home/alice/notes/src/deep/module.PY")
        let top = Self.file("/home/alice/notes/README.md")
        let rootless = Self.file("/home/alice/notes/src/x.py", root: "/home/alice/notes/")
        #expect(try Self.keeps("w ext:py", deep) && !(try Self.keeps("w ext:py", top)))
        #expect(try Self.keeps("w dir:deep", deep) && (try Self.keeps("w dir:src", deep)) && !(try Self.keeps("w dir:deep", top)))
        #expect(!(try Self.keeps("w dir:module.PY", deep)), "a file's own name is not a folder")
        #expect(!(try Self.keeps("w dir:notes", deep)), "the root's own folders do not count")
        #expect(try Self.keeps("w path:src/**", deep) && !(try Self.keeps("w path:src/**", top)))
        #expect(try Self.keeps("w path:src", deep), "a pattern matching a folder covers everything below it")
        #expect(try Self.keeps("w path:**/deep/*.PY", deep) && !(try Self.keeps("w path:deep/*.py", deep)))
        #expect(try Self.keeps("w path:README.md", top) && !(try Self.keeps("w path:src/**", top)))
        #expect(try Self.keeps("w path:src/*.py dir:src ext:py", rootless), "a root written with its trailing slash")
        #expect(!(try Self.keeps("w path:src/** ext:md", deep)), "every filter must keep it")
        #expect(try Self.keeps("w lang:cython", Self.file("/home/alice/notes/_yaml.pyx")) && !(try Self.keeps("w lang:cython", deep)))
        for name in ["_yaml.pyx", "defs.pxd", "core.cljs", "Main.fs", "solver.f90", "main.tf", "kernel.cu", "Token.sol"] {
            #expect(FileKind(path: "/src/" + name) == .code, "\(name) is cut as code")
        }
    }

    @Test("Given path globs of every shape, when one resolution decides many files of shared folders, then each file is kept exactly as a fresh glob alone decides it")
    func folderDecisionsShared() throws {
        let paths = ["README.md", "src/a.py", "src/b.py", "src/deep/c.py", "src/deep/er/d.md", "docs/src/e.py", "srcx/f.py", "src/deep",
                     "tests/src/deep/g.py", "a/b/c/d/e/f.txt", "a/b/x.txt", "deep/h.PY"].map { Self.file("/r/" + $0, root: "/r") }
        let globs = ["src", "src/**", "**/deep/*.py", "deep/*.py", "*.py", "src/*", "**/src/**", "a/b", "a/**/f.txt", "!src", "d*",
                     "src/deep/", "**/er", "srcx", "*/deep/**"]
        var compared = 0
        for glob in globs {
            let filters = try QuerySyntax.parse("w path:\(glob)").filters
            var shared = filters.compiledGlobs
            // Twice through the files in different orders: decisions cached from one file serve the next.
            for file in paths + paths.reversed() {
                var fresh = filters.compiledGlobs
                #expect(filters.keeps(file, globs: &shared) == filters.keeps(file, globs: &fresh), "\(glob) \(file.path)")
                compared += 1
            }
        }
        #expect(compared == globs.count * paths.count * 2)
        #expect(try Self.keeps("w path:src", Self.file("/r/src/deep/er/d.md", root: "/r")), "a folder's match reaches files deep below it")
        #expect(try !Self.keeps("w path:deep/*.py", Self.file("/r/src/deep/c.py", root: "/r")), "an anchored glob stays anchored")
    }
}
