import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Serialises creating and migrating an index between processes: an exclusive `flock` on the index's
/// folder, held from the first look at the file until its schema is complete. Two `qwery index` runs
/// started together on a new database both ran the migrations (`table root already exists`, `duplicate
/// column name`); now the second waits a moment and finds a ready index. The lock is on the folder, not a
/// new file beside the index, and only for the open; `INDEX.lock` (one writer) is held for the whole run.
final class IndexCreationLock {
    private let descriptor: Int32

    /// Waits for the lock on `folder`; nil when the folder cannot be opened (then nobody else can create
    /// an index in it either).
    init?(folder: String) {
        let descriptor = open(folder.isEmpty ? "." : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                close(descriptor)
                return nil
            }
        }
        self.descriptor = descriptor
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
