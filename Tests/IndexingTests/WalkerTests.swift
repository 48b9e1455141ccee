import Foundation
import Testing
@testable import Indexing

/// Which files the walker finds in a tree with ignores, hidden files, big files and a symlink loop.
@Suite("Walker")
struct WalkerTests {
    @Test("Given nested ignore files, hidden entries, .git, a big file and a symlink loop, when walking, then exactly the right files come back")
    func walksLikeRipgrep() throws {
        let tree = try TemporaryTree()
        try tree.write(".gitignore", "*.log\n/build/\n")
        try tree.write("notes/a.md", "a")
        try tree.write("notes/.ignore", "drafts/\n!keep.log\n")
        try tree.write("notes/drafts/d.md", "d")
        try tree.write("notes/keep.log", "kept by the nested negation")
        try tree.write("notes/x.log", "ignored")
        try tree.write("build/out.txt", "ignored")
        try tree.write("src/build/inner.txt", "kept: /build/ is anchored to the root")
        try tree.write(".hidden/secret.md", "hidden")
        try tree.write(".git/config", "git")
        try tree.write("big.txt", String(repeating: "x", count: 3000))
        try FileManager.default.createSymbolicLink(atPath: tree.path("notes/loop"), withDestinationPath: "..")
        try FileManager.default.createSymbolicLink(atPath: tree.path("dangling"), withDestinationPath: "nowhere")

        var options = Walker.Options()
        options.maximumFileSize = 2000
        var found: [String: String?] = [:]
        Walker(options: options).walk(root: tree.root) { file in
            found[String(file.path.dropFirst(tree.root.count + 1))] = file.skipReason
        }
        #expect(Set(found.keys) == ["notes/a.md", "notes/keep.log", "src/build/inner.txt", "big.txt"])
        #expect(found["big.txt"] == "larger than the 2.0 kB limit (3.0 kB)")
        #expect(found["notes/a.md"] == .some(nil))
    }

    @Test("Given extra ignore patterns, when walking, then they apply like a root .gitignore")
    func extraPatterns() throws {
        let tree = try TemporaryTree()
        try tree.write("a.md", "a")
        try tree.write("b.txt", "b")
        var options = Walker.Options()
        options.ignorePatterns = ["*.txt"]
        var found: [String] = []
        Walker(options: options).walk(root: tree.root) { found.append(($0.path as NSString).lastPathComponent) }
        #expect(found == ["a.md"])
    }
}
