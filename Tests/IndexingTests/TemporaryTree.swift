import Foundation
import TestSupport

/// A folder tree in a fresh temporary directory, removed when the test is done.
final class TemporaryTree {
    let root: String

    init() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("qwery-tree-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        // Resolve /tmp symlinks so paths compare equal to what the walker reports.
        root = base.resolvingSymlinksInPath().path
    }

    deinit {
        try? FileManager.default.removeItem(atPath: root)
    }

    func path(_ relative: String) -> String { root + "/" + relative }

    func write(_ relative: String, _ contents: String) throws {
        try write(relative, data: Data(contents.utf8))
    }

    func write(_ relative: String, data: Data) throws {
        let full = path(relative)
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: full))
    }

    func remove(_ relative: String) throws {
        try FileManager.default.removeItem(atPath: path(relative))
    }

    /// Sets a file's modification time (to simulate a touch or an edit at a later time).
    func setModificationDate(_ relative: String, _ date: Date) throws {
        try FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: path(relative))
    }
}

/// Shared fixtures for indexing tests.
enum IndexingFixtures {
    static let root = Repository.fixtures

    static let tinyModel = root + "/models/tiny-embedding"
    static let tokenizerPath = root + "/tokenizer/qwen3-tokenizer.json"
}
