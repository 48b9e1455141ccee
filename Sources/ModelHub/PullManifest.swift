import Checksums
import Foundation

/// What a pull installed, beside the model (`.qwery-pull.json`): each file's size, SHA-256 and modification time.
/// A second pull of an identical model compares the hub's list with it and downloads nothing (1.2 GB were pulled
/// again before); a file whose size or time changed since is hashed again, and a folder copied by hand (no
/// manifest) is hashed once, then recorded.
enum PullManifest {
    static let fileName = ".qwery-pull.json"

    struct Entry: Codable, Equatable {
        var size: Int64
        var sha256: String?
        var modifiedNanoseconds: Int64
    }

    /// Whether `folder` holds every one of `files` as the hub describes it. `verifying` is told of each file hashed.
    static func isUpToDate(folder: String, files: [HubFile], verifying: (String) -> Void) -> Bool {
        guard FileManager.default.fileExists(atPath: folder) else { return false }
        let recorded = read(folder: folder)
        for file in files {
            let path = folder + "/" + file.path
            guard let (size, modified) = fileStatus(path), size == file.size else { return false }
            guard let expected = file.sha256 else { continue }
            if let entry = recorded[file.path], entry.size == size, entry.modifiedNanoseconds == modified, entry.sha256 == expected {
                continue
            }
            verifying(file.path)
            guard (try? SHA256.hash(fileAt: path).hexString) == expected else { return false }
        }
        write(folder: folder, files: files)
        return true
    }

    /// Records `files` as they are now in `folder` (best effort: without it the next pull hashes again).
    static func write(folder: String, files: [HubFile]) {
        var entries: [String: Entry] = [:]
        for file in files {
            guard let (size, modified) = fileStatus(folder + "/" + file.path) else { return }
            entries[file.path] = Entry(size: size, sha256: file.sha256, modifiedNanoseconds: modified)
        }
        guard let data = try? JSONEncoder().encode(entries) else { return }
        try? data.write(to: URL(fileURLWithPath: folder + "/" + fileName), options: .atomic)
    }

    private static func read(folder: String) -> [String: Entry] {
        guard let data = FileManager.default.contents(atPath: folder + "/" + fileName),
              let entries = try? JSONDecoder().decode([String: Entry].self, from: data) else { return [:] }
        return entries
    }

    private static func fileStatus(_ path: String) -> (size: Int64, modifiedNanoseconds: Int64)? {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return (Int64(info.st_size), Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
    }
}
