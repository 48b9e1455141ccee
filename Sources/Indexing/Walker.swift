import Corpus
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A file found under a root, with its stat and, when it cannot be indexed, why.
package struct WalkedFile: Sendable, Equatable {
    package let path: String
    package let size: Int64
    /// Modification time in nanoseconds since 1970.
    package let modifiedAt: Int64
    package let skipReason: String?
    /// Where to read it when that differs from `path`: the target of a followed link to a file.
    package var readPath: String? = nil
    /// A folder that could not be listed, or an entry that could not be examined: what is indexed at or
    /// below this path is unknown, not deleted, and is kept.
    package var isUnexamined = false
}

/// Walks a folder the way ripgrep does by default: `.gitignore`, `.ignore` and global excludes are
/// honoured at every level, hidden entries and `.git` are skipped, and nothing but stat is read.
/// Symbolic links are not followed (ripgrep's and fd's default): a link to `/etc/passwd` or to a folder
/// elsewhere stays outside the index, and a target inside the root is found under its real path. With
/// `followLinksWithinRoot` (`--follow`), a link whose real target is inside the root being walked is
/// followed and indexed under the link's path too (a hidden or ignored target included); a target
/// outside the root never is.
/// Only regular files and folders are visited: FIFOs, sockets and devices never are.
package struct Walker: Sendable {
    /// What to leave out.
    package struct Options: Sendable {
        package var maximumFileSize: Int64 = 2_000_000
        /// qwery's own files (the index, its -wal/-shm/-journal, its writer lock): never indexed, and their
        /// writes never wake the watcher, even with the index inside a watched folder.
        package var ownFiles: Set<String> = []
        /// The size limit of PDF, DOCX, ODT, EPUB, HTML and notebook files (`[documents] max_file_mb`).
        package var maximumDocumentSize: Int64 = 256 << 20
        package var includeHidden = false
        /// Extra gitignore-style patterns (the configuration's ignore globs, global git excludes).
        package var ignorePatterns: [String] = []
        /// Follow links whose real target is inside the root being walked (never outside it).
        package var followLinksWithinRoot = false
        /// Opens a folder for listing (`opendir`); a seam for tests, which run as root, where no folder is
        /// ever unreadable.
        package var openFolder: @Sendable (String) -> OpaquePointer? = { opendir($0) }

        package init() {}
    }

    package let options: Options

    package init(options: Options = Options()) {
        self.options = options
    }

    /// The user's global git excludes (`$XDG_CONFIG_HOME/git/ignore`, git's default `core.excludesFile`).
    package static func globalExcludes() -> [String] {
        let environment = ProcessInfo.processInfo.environment
        let configHome = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.config")
        guard let text = try? String(contentsOfFile: configHome + "/git/ignore", encoding: .utf8) else { return [] }
        return text.split(whereSeparator: \.isNewline).map(String.init)
    }

    /// Calls `visit` for every file under `root` that the ignore rules keep.
    package func walk(root: String, _ visit: (WalkedFile) -> Void) {
        let rules = configuredRules()
        var visited = Set<FileIdentity>()
        var status = stat()
        guard stat(root, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR else { return }
        visited.insert(FileIdentity(status))
        walkFolder(path: root, relative: "", root: root, rules: rules, visited: &visited, onFolder: { _ in }, visit)
    }

    /// Every folder under `root` that the ignore rules keep (not `root` itself).
    package func folders(root: String) -> [String] {
        Array(folders(under: root, root: root).dropFirst())
    }

    /// `folder` and every folder under it that the ignore rules keep, for a folder inside `root` (one the
    /// watcher just saw appear): the configured patterns and the `.gitignore`/`.ignore` of `root` and of
    /// every folder between apply, exactly as in a walk from `root`. Empty when `folder` itself is left out
    /// (ignored, hidden, `.git`, or not inside `root`).
    package func folders(under folder: String, root: String) -> [String] {
        var rules = configuredRules()
        var relative = ""
        if folder != root {
            guard folder.hasPrefix(root + "/") else { return [] }
            var path = root
            for name in folder.dropFirst(root.count + 1).split(separator: "/").map(String.init) {
                Self.addIgnoreFiles(in: path, relative: relative, to: &rules)
                if name == ".git" || (!options.includeHidden && name.hasPrefix(".")) { return [] }
                relative = relative.isEmpty ? name : relative + "/" + name
                path += "/" + name
                if rules.decision(for: relative, isDirectory: true) == true { return [] }
            }
        }
        var visited = Set<FileIdentity>()
        var status = stat()
        guard lstat(folder, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR else { return [] }
        visited.insert(FileIdentity(status))
        var found = [folder]
        walkFolder(path: folder, relative: relative, root: root, rules: rules, visited: &visited, onFolder: { found.append($0) }) { _ in }
        return found
    }

    /// Why a walk from `root` would leave the file at `path` out of the index — hidden, inside `.git`,
    /// matched by an ignore rule, not a regular file, too large — or nil when it would index it. What every
    /// face that reads a file by name asks first (MCP `get`, the screen's preview): nothing the index leaves
    /// out is served.
    package func exclusion(of path: String, root: String) -> String? {
        if let reason = ruleExclusion(of: path, root: root) { return reason }
        // What is not a regular file (FIFO, device, socket) the reader itself refuses, without opening it.
        var status = stat()
        guard lstat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        let limit = DocumentFormat(path: path) != nil ? options.maximumDocumentSize : options.maximumFileSize
        if Int64(status.st_size) > limit {
            return "it is larger than the \(Self.megabytes(limit)) limit (\(Self.megabytes(Int64(status.st_size)))), so the index leaves it out"
        }
        return nil
    }

    /// `exclusion` by name and rules alone (hidden, `.git`, ignore files, qwery's own files), without
    /// looking at the file: what the watcher asks of every event.
    package func ruleExclusion(of path: String, root: String) -> String? {
        if path == root { return nil }  // a folder: the reader says so
        guard path.hasPrefix(root + "/") else { return "it is not inside \(root)" }
        if options.ownFiles.contains(path) { return "it is qwery's own index file" }
        var rules = configuredRules()
        var relative = ""
        var folder = root
        let names = path.dropFirst(root.count + 1).split(separator: "/").map(String.init)
        for (index, name) in names.enumerated() {
            let isLast = index == names.count - 1
            Self.addIgnoreFiles(in: folder, relative: relative, to: &rules)
            if name == ".git" { return "it is inside .git" }
            if !options.includeHidden && name.hasPrefix(".") {
                return isLast ? "it is a hidden file (its name starts with a dot)" : "it is inside the hidden folder \(name)"
            }
            relative = relative.isEmpty ? name : relative + "/" + name
            folder += "/" + name
            if rules.decision(for: relative, isDirectory: !isLast) == true {
                return "it is ignored (by a .gitignore, .ignore, the global git excludes or the config's ignore list: \(relative))"
            }
        }
        return nil
    }

    /// The configured patterns (config file, global git excludes), the rules every walk starts from.
    private func configuredRules() -> IgnoreRules {
        var rules = IgnoreRules()
        for pattern in options.ignorePatterns { rules.add(pattern: pattern) }
        return rules
    }

    /// A folder's own `.gitignore` and `.ignore`, relative to the walk's root.
    private static func addIgnoreFiles(in path: String, relative: String, to rules: inout IgnoreRules) {
        for name in [".gitignore", ".ignore"] {
            if let text = try? String(contentsOfFile: path + "/" + name, encoding: .utf8) {
                rules.add(fileContents: text, base: relative)
            }
        }
    }

    private struct FileIdentity: Hashable {
        let device: UInt64
        let inode: UInt64

        init(_ status: stat) {
            device = UInt64(status.st_dev)
            inode = UInt64(status.st_ino)
        }
    }

    private func walkFolder(path: String, relative: String, root: String, rules inherited: IgnoreRules, visited: inout Set<FileIdentity>,
                            onFolder: (String) -> Void, _ visit: (WalkedFile) -> Void) {
        var rules = inherited
        Self.addIgnoreFiles(in: path, relative: relative, to: &rules)
        guard let directory = options.openFolder(path) else {
            let reason = String(cString: strerror(errno))
            visit(WalkedFile(path: path, size: 0, modifiedAt: 0, skipReason: "cannot read the folder: \(reason)", isUnexamined: true))
            return
        }
        var names: [String] = []
        var invalidNames: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: 256) { String(validatingCString: $0) }
            }
            guard let name else {
                let bytes = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                    pointer.withMemoryRebound(to: UInt8.self, capacity: 256) { Array(UnsafeBufferPointer(start: $0, count: strlen(UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)))) }
                }
                invalidNames.append(Self.escapedName(bytes))
                continue
            }
            if name == "." || name == ".." { continue }
            names.append(name)
        }
        closedir(directory)
        for name in invalidNames {
            visit(WalkedFile(path: path + "/" + name, size: 0, modifiedAt: 0, skipReason: "the file name is not valid UTF-8"))
        }
        for name in names.sorted() {
            if name == ".git" { continue }
            if !options.includeHidden && name.hasPrefix(".") { continue }
            let childPath = path + "/" + name
            if options.ownFiles.contains(childPath) { continue }
            let childRelative = relative.isEmpty ? name : relative + "/" + name
            var status = stat()
            // lstat: a symbolic link is seen as a link and left out, dangling or not.
            guard lstat(childPath, &status) == 0 else {
                // A folder readable but not searchable (`r--`) lists names whose entries cannot be examined.
                if errno != ENOENT {
                    let reason = String(cString: strerror(errno))
                    visit(WalkedFile(path: childPath, size: 0, modifiedAt: 0,
                                     skipReason: "cannot be examined: \(reason) (check the folder's x permission)", isUnexamined: true))
                }
                continue
            }
            var kind = status.st_mode & S_IFMT
            var readPath: String?
            if kind == S_IFLNK {
                // Followed only when asked, and only to a real target inside the root; then it is what the
                // target is (a folder or a regular file — never a device, FIFO or socket).
                guard options.followLinksWithinRoot, let target = Self.realTarget(childPath),
                      target.hasPrefix(root + "/") || target == root, stat(target, &status) == 0 else { continue }
                kind = status.st_mode & S_IFMT
                readPath = target
            }
            if kind == S_IFDIR, let target = readPath {
                // A followed link to a folder: walked under the link's path, whether or not its real folder is
                // walked too (so the walk order does not decide what is found); a link to the folder it sits in
                // or to an ancestor would loop, and is skipped.
                if rules.decision(for: childRelative, isDirectory: true) == true { continue }
                guard let here = Self.realTarget(path), here != target, !here.hasPrefix(target + "/") else { continue }
                var linked: Set<FileIdentity> = [FileIdentity(status)]
                onFolder(childPath)
                walkFolder(path: childPath, relative: childRelative, root: root, rules: rules, visited: &linked, onFolder: onFolder, visit)
            } else if kind == S_IFDIR {
                if rules.decision(for: childRelative, isDirectory: true) == true { continue }
                guard visited.insert(FileIdentity(status)).inserted else { continue }
                onFolder(childPath)
                walkFolder(path: childPath, relative: childRelative, root: root, rules: rules, visited: &visited, onFolder: onFolder, visit)
            } else if kind == S_IFREG {
                if rules.decision(for: childRelative, isDirectory: false) == true { continue }
                let size = Int64(status.st_size)
                let modifiedAt = Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec)
                var reason: String?
                // Documents (PDF, EPUB…) are bigger than notes for the same text: they have their own limit.
                let isDocument = DocumentFormat(path: name) != nil
                let limit = isDocument ? options.maximumDocumentSize : options.maximumFileSize
                if size > limit {
                    reason = "larger than the \(Self.megabytes(limit)) limit (\(Self.megabytes(size)))"
                        + (isDocument ? "; raise documents.max_file_mb to index it" : "")
                }
                visit(WalkedFile(path: childPath, size: size, modifiedAt: modifiedAt, skipReason: reason, readPath: readPath))
            }
        }
    }

    /// The real path a link leads to (all links resolved), nil when it dangles.
    private static func realTarget(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// A file name that is not UTF-8, shown with each invalid byte as `\xNN` (`caf\xE9.md`): two names that
    /// differ only in such bytes stay two names (U+FFFD would make them one).
    static func escapedName(_ bytes: [UInt8]) -> String {
        var name = ""
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            let length = lead < 0x80 ? 1 : lead >> 5 == 0b110 ? 2 : lead >> 4 == 0b1110 ? 3 : lead >> 3 == 0b11110 ? 4 : 0
            if length > 0, index + length <= bytes.count,
               let scalar = String(validating: bytes[index..<index + length], as: UTF8.self) {
                name += scalar
                index += length
            } else {
                name += String(format: "\\x%02X", lead)
                index += 1
            }
        }
        return name
    }

    static func megabytes(_ bytes: Int64) -> String {
        if bytes < 1000 { return "\(bytes) bytes" }
        if bytes < 1_000_000 { return String(format: "%.1f kB", Double(bytes) / 1000) }
        return String(format: "%.1f MB", Double(bytes) / 1_000_000)
    }
}
