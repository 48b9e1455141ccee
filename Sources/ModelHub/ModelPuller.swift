import Checksums
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Downloads a checkpoint from the hub into a models folder: files land in a hidden staging folder
/// (`.NAME.partial`), resume after an interruption with HTTP ranges, are checked against the hub's
/// sizes and SHA-256 sums, and the finished folder is renamed into place in one step — a model
/// folder is either the old one or the complete new one, never half of either.
package struct ModelPuller: Sendable {
    /// What a pull reports while it runs.
    package enum Progress: Sendable {
        case listing(repository: String)
        /// Bytes of the whole checkpoint on disk so far, of `total`; `file` is being written.
        case downloading(file: String, done: Int64, total: Int64)
        case verifying(file: String)
        case retrying(file: String, attempt: Int, reason: String)
    }

    package let client: HubClient
    package let modelsFolder: String
    package var revision = "main"
    package var attempts = 5
    package var retryPause: TimeInterval = 1

    package init(client: HubClient, modelsFolder: String) {
        self.client = client
        self.modelsFolder = modelsFolder
    }

    /// What a pull did: the installed folder, and whether it was already up to date (nothing downloaded).
    package struct Outcome: Sendable, Equatable {
        package let folder: String
        package let wasUpToDate: Bool
    }

    /// Pulls `repository` (`Qwen/Qwen3-Embedding-0.6B`) into the models folder. A folder that already holds every
    /// file with the hub's sizes and checksums is left as it is (nothing is downloaded again).
    package func pull(repository: String, progress: @escaping @Sendable (Progress) -> Void = { _ in }) throws -> Outcome {
        progress(.listing(repository: repository))
        let files = try client.listFiles(repository: repository, revision: revision).filter(\.isNeededForCheckpoint)
        try Self.checkComplete(files, repository: repository)

        let name = (repository as NSString).lastPathComponent
        let target = modelsFolder + "/" + name
        if PullManifest.isUpToDate(folder: target, files: files, verifying: { progress(.verifying(file: $0)) }) {
            return Outcome(folder: target, wasUpToDate: true)
        }
        let staging = modelsFolder + "/." + name + ".partial"
        try Self.createFolder(staging)
        let lock = try StagingLock(folder: staging)
        defer { lock.release() }

        let total = files.reduce(Int64(0)) { $0 + max($1.size, 0) }
        var finishedBytes: Int64 = 0
        for file in files {
            let destination = staging + "/" + file.path
            let before = finishedBytes
            try download(file, repository: repository, to: destination) { onDisk in
                progress(.downloading(file: file.path, done: before + onDisk, total: total))
            } retrying: { attempt, reason in
                progress(.retrying(file: file.path, attempt: attempt, reason: reason))
            }
            progress(.verifying(file: file.path))
            try Self.verify(file, at: destination)
            finishedBytes += file.size
        }
        PullManifest.write(folder: staging, files: files)
        lock.release()
        try Self.moveIntoPlace(staging: staging, target: target)
        return Outcome(folder: target, wasUpToDate: false)
    }

    // MARK: - One file

    private func download(_ file: HubFile, repository: String, to path: String,
                          onDisk: @escaping @Sendable (Int64) -> Void,
                          retrying: (Int, String) -> Void) throws {
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw HubError.fileSystem(path: path, reason: "cannot create the file")
            }
        }
        let url = client.fileURL(repository: repository, revision: revision, path: file.path)
        var lastReason = ""
        for attempt in 1...attempts {
            var existing = Self.size(of: path)
            if existing > file.size {
                try? FileHandle(forWritingAtPath: path)?.truncate(atOffset: 0)
                existing = 0
            }
            if existing == file.size { return }
            guard let handle = FileHandle(forWritingAtPath: path) else {
                throw HubError.fileSystem(path: path, reason: "cannot open the file for writing")
            }
            let outcome = HTTPExchange(request: client.request(url), file: handle, existingBytes: existing, progress: onDisk)
                .run(timeout: client.stallTimeout)
            try? handle.close()
            switch outcome.status {
            case 200?, 206?:
                if outcome.error == nil, Self.size(of: path) == file.size { return }
                lastReason = outcome.error.map(HubClient.describe) ?? "the answer ended early"
            case 401?, 403?:
                throw HubError.unauthorized(repository: repository, tokenSent: client.token != nil)
            case let status? where status < 500:
                throw HubError.httpStatus(url: url.absoluteString, status: status)
            case let status?:
                lastReason = "HTTP \(status)"
            case nil:
                let error = outcome.error ?? URLError(.unknown)
                // Nothing ever arrived: the machine is offline, retrying will not help.
                if attempt == 1, existing == 0, Self.isUnreachable(error) { throw client.unreachable(error) }
                lastReason = HubClient.describe(error)
            }
            if attempt < attempts {
                retrying(attempt + 1, lastReason)
                Thread.sleep(forTimeInterval: retryPause * Double(attempt))
            }
        }
        throw HubError.interrupted(file: file.path, attempts: attempts, reason: lastReason)
    }

    private static func isUnreachable(_ error: URLError) -> Bool {
        [.notConnectedToInternet, .cannotFindHost, .dnsLookupFailed, .cannotConnectToHost].contains(error.code)
    }

    // MARK: - Checks and moves

    static func checkComplete(_ files: [HubFile], repository: String) throws {
        let names = Set(files.map(\.path))
        for required in ["config.json", "tokenizer.json"] where !names.contains(required) {
            throw HubError.badListing(repository: repository, reason: "no \(required)")
        }
        guard files.contains(where: { $0.path.hasSuffix(".safetensors") }) else {
            throw HubError.badListing(repository: repository, reason: "no .safetensors weights")
        }
        if let unsized = files.first(where: { $0.size < 0 }) {
            throw HubError.badListing(repository: repository, reason: "no size for \(unsized.path)")
        }
    }

    /// Size and (for LFS files) SHA-256; a file that fails is deleted so the next pull starts it over.
    static func verify(_ file: HubFile, at path: String) throws {
        let found = size(of: path)
        guard found == file.size else {
            try? FileManager.default.removeItem(atPath: path)
            throw HubError.sizeMismatch(file: file.path, expected: file.size, found: found)
        }
        guard let expected = file.sha256 else { return }
        let digest = try SHA256.hash(fileAt: path).hexString
        guard digest == expected else {
            try? FileManager.default.removeItem(atPath: path)
            throw HubError.checksumMismatch(file: file.path, expected: expected, found: digest)
        }
    }

    /// Renames the finished staging folder over the target: the old folder (if any) steps aside first
    /// and is removed only once the new one is in place.
    static func moveIntoPlace(staging: String, target: String) throws {
        let manager = FileManager.default
        try? manager.removeItem(atPath: staging + "/" + StagingLock.fileName)
        let previous = target + ".previous"
        try? manager.removeItem(atPath: previous)
        if manager.fileExists(atPath: target), rename(target, previous) != 0 {
            throw HubError.fileSystem(path: target, reason: String(cString: strerror(errno)))
        }
        guard rename(staging, target) == 0 else {
            let reason = String(cString: strerror(errno))
            _ = rename(previous, target)
            throw HubError.fileSystem(path: target, reason: reason)
        }
        try? manager.removeItem(atPath: previous)
    }

    static func createFolder(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw HubError.fileSystem(path: path, reason: error.localizedDescription)
        }
    }

    static func size(of path: String) -> Int64 {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : 0
    }
}
