import Foundation
import ZIPFoundation

/// The parts of a DOCX, ODT or EPUB, read through ZIPFoundation with every byte inflated counted: a part
/// is streamed and abandoned the moment the archive passes its expanded-size cap or a part its ratio cap,
/// so a zip bomb costs a few megabytes of memory, never its declared gigabytes.
final class ZipParts {
    private let archive: Archive
    private let limits: ExtractionLimits
    private let format: String
    private var expanded: Int64 = 0

    init(data: Data, format: String, limits: ExtractionLimits) throws(ExtractionFailure) {
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            throw .damaged(format, detail: "not a zip archive")
        }
        self.format = format
        self.limits = limits
    }

    /// Every entry's path, in archive order.
    var paths: [String] { archive.map(\.path) }

    /// A part's bytes, or nil when the archive has no such part.
    func read(_ path: String) throws(ExtractionFailure) -> [UInt8]? {
        guard let entry = archive[path] else { return nil }
        let cap = limits.maximumExpandedBytes
        let megabytes = cap >> 20
        if Int64(clamping: entry.uncompressedSize) > cap - expanded { throw .expandsBeyond(megabytes: megabytes) }
        var bytes: [UInt8] = []
        let compressed = max(Int64(clamping: entry.compressedSize), 1)
        var failure: ExtractionFailure?
        do {
            _ = try archive.extract(entry, bufferSize: 1 << 16, skipCRC32: false) { chunk in
                expanded += Int64(chunk.count)
                let partBytes = Int64(bytes.count + chunk.count)
                if expanded > cap {
                    failure = .expandsBeyond(megabytes: megabytes)
                } else if partBytes > ExtractionLimits.ratioFreeBytes, partBytes / compressed > Int64(limits.maximumCompressionRatio) {
                    failure = .compressionRatio(part: path, ratio: Int(partBytes / compressed), cap: limits.maximumCompressionRatio)
                }
                if failure != nil { throw CancellationError() }
                bytes.append(contentsOf: chunk)
            }
        } catch {
            throw failure ?? .damaged(format, detail: "\(path) cannot be inflated")
        }
        return bytes
    }
}
