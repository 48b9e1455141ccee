import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What the file system allows for an index file and its folder. SQLite in WAL mode creates `INDEX-wal`
/// and `INDEX-shm` beside the index even to read it, so a folder without write permission cannot hold a
/// writable index, and a reader there must open the file as immutable.
enum IndexFilePermissions {
    /// Whether files can be created beside `path` (its folder is writable and searchable for this process).
    static func canCreateBeside(_ path: String) -> Bool {
        access(folder(of: path), W_OK | X_OK) == 0
    }

    /// Why the index at `path` cannot be written, or nil when it can: the file or its folder, with its mode.
    static func writeProblem(_ path: String) -> String? {
        let folder = folder(of: path)
        if access(path, F_OK) == 0 && access(path, W_OK) != 0 {
            return "the index file is read-only (\(mode(path))); make it writable (chmod u+w '\(path)')"
        }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue, !canCreateBeside(path) {
            return "its folder \(folder) is not writable (\(mode(folder))), and SQLite creates the index's -wal and -shm files there; make it writable (chmod u+w '\(folder)')"
        }
        return nil
    }

    /// A SQLite URI that opens `path` as immutable: read without the -wal and -shm files, never written.
    static func immutableURI(_ path: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        let escaped = path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
        return "file:" + escaped + "?immutable=1"
    }

    static func folder(of path: String) -> String {
        let folder = (path as NSString).deletingLastPathComponent
        return folder.isEmpty ? "." : folder
    }

    /// `mode r-xr-xr-x, owner uid 1000`, as `ls -l` would show it.
    static func mode(_ path: String) -> String {
        var status = stat()
        guard stat(path, &status) == 0 else { return "cannot stat it" }
        let bits = Int(status.st_mode) & 0o777
        let letters = (0..<9).map { index -> Character in
            bits & (0o400 >> index) != 0 ? Array("rwxrwxrwx")[index] : "-"
        }
        return "mode \(String(letters)), owner uid \(status.st_uid)"
    }
}
