#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only memory map of a whole file; unmapped when the last reference goes.
///
/// Checkpoints are 1–16 GB: mapping them lets the kernel page weights in on demand and share them
/// between processes, instead of reading a second copy into the heap.
/// The mapping is read-only and never changes after `init` (see `Shared`).
final class MappedFile: Sendable {
    let path: String
    private let mapping: Shared<UnsafeRawBufferPointer>
    var bytes: UnsafeRawBufferPointer { mapping.value }
    /// The first byte of the mapping (files are never empty).
    var base: UnsafeRawPointer { UnsafeRawPointer(mapping.value.baseAddress.unsafelyUnwrapped) }

    init(path: String) throws(EngineError) {
        self.path = path
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw errno == ENOENT ? .missingFile(path: path, hint: "The model folder is incomplete.") : .unreadableFile(path: path, reason: reason)
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw .unreadableFile(path: path, reason: String(cString: strerror(errno)))
        }
        let size = Int(status.st_size)
        guard size > 0 else {
            throw .invalidSafetensors(path: path, message: "the file is empty")
        }
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED else {
            throw .unreadableFile(path: path, reason: "mmap failed: \(String(cString: strerror(errno)))")
        }
        mapping = Shared(UnsafeRawBufferPointer(start: address, count: size))
    }

    /// Tells the kernel the mapped pages are not needed now; they are read back on the next access.
    func releaseResidentPages() {
        madvise(UnsafeMutableRawPointer(mutating: base), bytes.count, Int32(MADV_DONTNEED))
    }

    deinit {
        munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
    }
}
