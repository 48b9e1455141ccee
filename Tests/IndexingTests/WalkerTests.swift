import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import Indexing
import Store

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

    @Test("Given a folder deep inside a root, when listing the folders under it, then the root's and every ancestor's ignore rules apply")
    func foldersUnderApplyAncestorRules() throws {
        let tree = try TemporaryTree()
        try tree.write(".gitignore", "build/\n")
        try tree.write("src/.gitignore", "generated/\n")
        try tree.write("src/app/main.swift", "")
        try tree.write("src/app/generated/x.swift", "")
        try tree.write("src/app/views/v.swift", "")
        try tree.write("build/deep/out.o", "")
        try tree.write("src/.cache/c", "")
        var options = Walker.Options()
        options.ignorePatterns = ["*.tmp/"]
        try tree.write("src/app/scratch.tmp/t", "")
        let walker = Walker(options: options)

        #expect(walker.folders(under: tree.path("src/app"), root: tree.root) == [tree.path("src/app"), tree.path("src/app/views")])
        #expect(walker.folders(under: tree.path("build/deep"), root: tree.root).isEmpty)
        #expect(walker.folders(under: tree.path("src/app/generated"), root: tree.root).isEmpty)
        #expect(walker.folders(under: tree.path("src/.cache"), root: tree.root).isEmpty)
        #expect(walker.folders(under: tree.path("src/app/scratch.tmp"), root: tree.root).isEmpty)
        #expect(walker.folders(under: "/tmp", root: tree.root).isEmpty)
        #expect(walker.folders(root: tree.root) == [tree.path("src"), tree.path("src/app"), tree.path("src/app/views")])
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

/// Hostile trees: links out of the root, links to special files, FIFOs and sockets (issue #16).
@Suite("Walker on hostile trees")
struct HostileTreeTests {
    @Test("Given links to a file and a folder outside the root, to /proc/kmsg and to a FIFO, when walking, then only the root's own regular files come back")
    func linksAndSpecialFilesAreNotFollowed() throws {
        let tree = try TemporaryTree()
        let outside = try TemporaryTree()
        try outside.write("secret.md", "outside the root")
        try tree.write("notes/a.md", "a")
        try FileManager.default.createSymbolicLink(atPath: tree.path("passwd"), withDestinationPath: "/etc/passwd")
        try FileManager.default.createSymbolicLink(atPath: tree.path("elsewhere"), withDestinationPath: outside.root)
        try FileManager.default.createSymbolicLink(atPath: tree.path("kmsg"), withDestinationPath: "/proc/kmsg")
        try FileManager.default.createSymbolicLink(atPath: tree.path("inside.md"), withDestinationPath: tree.path("notes/a.md"))
        #expect(mkfifo(tree.path("pipe.md"), 0o644) == 0)
        try FileManager.default.createSymbolicLink(atPath: tree.path("pipe-link.md"), withDestinationPath: tree.path("pipe.md"))

        var found: [String] = []
        Walker().walk(root: tree.root) { found.append(String($0.path.dropFirst(tree.root.count + 1))) }

        // The link to a.md is not indexed twice: a.md is found under its real path.
        #expect(found == ["notes/a.md"])
    }

    @Test("Given --follow, when walking links inside and outside the root, then only targets inside are followed, under the link's path, hidden ones too, without loops or special files")
    func followWithinRoot() throws {
        let tree = try TemporaryTree()
        let outside = try TemporaryTree()
        try outside.write("secret.md", "outside the root")
        try tree.write("notes/a.md", "a")
        try tree.write(".archive/2024/old.md", "archived")
        try FileManager.default.createSymbolicLink(atPath: tree.path("passwd"), withDestinationPath: "/etc/passwd")
        try FileManager.default.createSymbolicLink(atPath: tree.path("elsewhere"), withDestinationPath: outside.root)
        try FileManager.default.createSymbolicLink(atPath: tree.path("kmsg"), withDestinationPath: "/proc/kmsg")
        try FileManager.default.createSymbolicLink(atPath: tree.path("current.md"), withDestinationPath: tree.path("notes/a.md"))
        try FileManager.default.createSymbolicLink(atPath: tree.path("archive"), withDestinationPath: tree.path(".archive/2024"))
        try FileManager.default.createSymbolicLink(atPath: tree.path("notes/loop"), withDestinationPath: tree.path("notes"))
        try FileManager.default.createSymbolicLink(atPath: tree.path("notes/up"), withDestinationPath: tree.root)
        #expect(mkfifo(tree.path("pipe.md"), 0o644) == 0)
        try FileManager.default.createSymbolicLink(atPath: tree.path("pipe-link.md"), withDestinationPath: tree.path("pipe.md"))
        var options = Walker.Options()
        options.followLinksWithinRoot = true

        var found: [String: String?] = [:]
        Walker(options: options).walk(root: tree.root) { file in
            found.updateValue(file.readPath.map { String($0.dropFirst(tree.root.count + 1)) }, forKey: String(file.path.dropFirst(tree.root.count + 1)))
        }

        #expect(found == ["notes/a.md": nil, "current.md": "notes/a.md", "archive/old.md": nil])
        #expect(FileContents.read(path: tree.path("notes/a.md")).failureReason == nil)
        // Without --follow nothing behind a link is walked.
        var plain: [String] = []
        Walker().walk(root: tree.root) { plain.append(String($0.path.dropFirst(tree.root.count + 1))) }
        #expect(plain == ["notes/a.md"])
    }

    @Test("Given --follow and a link to a hidden note inside the root, when indexed, then the note is indexed under the link's path and read through its target")
    func followedLinkIsIndexed() throws {
        let tree = try TemporaryTree()
        try tree.write(".private/plan.md", "# Plan\n\nThe sourdough plan for the week.\n")
        try FileManager.default.createSymbolicLink(atPath: tree.path("plan.md"), withDestinationPath: tree.path(".private/plan.md"))
        var options = Walker.Options()
        options.followLinksWithinRoot = true
        let database = try AppDatabase(path: tree.root + ".sqlite")
        let indexer = try Indexer(database: database, tokenizer: nil, embedder: nil, modelFolder: nil, walker: Walker(options: options))

        let summary = try indexer.run(roots: [tree.root])

        #expect(summary.filesIndexed == 1 && summary.filesSkipped == 0)
        #expect(try database.chunks(path: tree.path("plan.md")).count == 1)
        #expect(try database.file(path: tree.path(".private/plan.md")) == nil)
    }

    @Test("Given a FIFO and a link where a file was walked, when read, then it is refused at once with the reason, never waited on")
    func readingRefusesSpecialFiles() throws {
        let tree = try TemporaryTree()
        #expect(mkfifo(tree.path("pipe.md"), 0o644) == 0)
        try tree.write("real.md", "text")
        try FileManager.default.createSymbolicLink(atPath: tree.path("link.md"), withDestinationPath: tree.path("real.md"))

        #expect(FileContents.read(path: tree.path("pipe.md")).failureReason == "never read: not a regular file (a FIFO, socket or device)")
        #expect(FileContents.read(path: tree.path("link.md")).failureReason == "never read: a symbolic link")
        #expect(FileContents.read(path: "/proc/self/status").failureReason == "never read: a /proc, /sys or /dev entry")
        #expect(FileContents.read(path: tree.path("real.md")).failureReason == nil)
    }
}

private extension Result where Success == FileContents, Failure == FileContents.Problem {
    var failureReason: String? {
        if case .failure(let problem) = self { return problem.reason }
        return nil
    }
}
