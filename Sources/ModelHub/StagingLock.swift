import Foundation

/// An exclusive `flock` on a staging folder, so two pulls of one model never write the same files.
/// The kernel drops it when the process ends, even on `kill -9`.
final class StagingLock: Sendable {
    static let fileName = ".lock"
    private let descriptor: Int32

    init(folder: String) throws {
        let path = folder + "/" + Self.fileName
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw HubError.fileSystem(path: path, reason: String(cString: strerror(errno))) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw HubError.busy(folder: folder)
        }
        self.descriptor = descriptor
    }

    /// Unlocks; safe to call twice.
    func release() {
        flock(descriptor, LOCK_UN)
    }

    deinit {
        close(descriptor)
    }
}
