import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The worker side of `SyntaxWorkerClient`: `qwery syntax-worker` parses with the grammars' C code — generated
/// tables, but hand-written external scanners — and YAML with libyaml, in a process of its own, so a scanner that crashes or runs
/// away on a hostile file costs that file its structure, not the indexer or the screen.
///
/// One channel, requests answered in order. A request: kind (1 byte: 1 outline, 2 highlight, 3 probe), the
/// path's length and bytes (for a probe: the grammar's name), the text's length and bytes (lengths u32
/// little-endian). A reply: 1 byte (0 nothing: no grammar or no parse; 1 JSON follows), the JSON's length
/// (u32) and bytes. Grammars are only ever loaded (`dlopen`, and their language function run) here: one
/// that aborts or faults when loaded costs a worker, never a qwery command (`GrammarReports`).
package enum SyntaxWorker {
    enum Kind: UInt8 {
        case outline = 1
        case highlight = 2
        case probe = 3
    }

    /// Serves requests on `input`/`output` until the channel closes; returns the exit status.
    package static func serve(input: Int32 = 0, output: Int32 = 1, library: GrammarLibrary = .shared) -> Int32 {
        // A runaway parse is stopped by tree-sitter's own timeout; this caps what a broken scanner may take.
        var memory = rlimit(rlim_cur: 4 << 30, rlim_max: 4 << 30)
        setrlimit(Int32(RLIMIT_AS.rawValue), &memory)
        var noCore = rlimit(rlim_cur: 0, rlim_max: 0)
        setrlimit(Int32(RLIMIT_CORE.rawValue), &noCore)
        let encoder = JSONEncoder()
        while let head = WorkerFrame.read(input, count: 1), let kind = Kind(rawValue: head[0]),
              let path = WorkerFrame.readBlock(input), let text = WorkerFrame.readBlock(input) {
            let pathText = String(decoding: path, as: UTF8.self)
            let source = String(decoding: text, as: UTF8.self)
            var reply: Data?
            if kind == .probe {
                reply = GrammarCatalog.spec(named: pathText).flatMap {
                    try? encoder.encode(GrammarReport(library.availability($0), library.grammar($0), countingPatterns: source == "patterns"))
                }
            } else if kind == .outline, YAMLOutline.handles(path: pathText) {
                reply = YAMLOutline.definitions(in: source).flatMap { try? encoder.encode($0) }
            } else if let grammar = library.grammar(forPath: pathText) {
                switch kind {
                case .outline: reply = SyntaxOutline.definitions(in: source, grammar: grammar).flatMap { try? encoder.encode($0) }
                case .highlight: reply = Highlighter.lines(source, grammar: grammar).flatMap { try? encoder.encode($0) }
                case .probe: break
                }
            }
            var bytes: [UInt8] = [reply == nil ? 0 : 1]
            bytes += WorkerFrame.length(reply?.count ?? 0)
            bytes += reply.map(Array.init) ?? []
            guard WorkerFrame.write(output, bytes) else { return 1 }
        }
        return 0
    }
}

/// Reading and writing the worker's frames on a descriptor (blocking, EINTR retried).
enum WorkerFrame {
    /// The largest text sent to the worker; larger files are chunked by indentation (they are generated or
    /// minified code, where the parser has little to add).
    static let maximumBytes = 16 << 20

    static func length(_ count: Int) -> [UInt8] {
        withUnsafeBytes(of: UInt32(count).littleEndian, Array.init)
    }

    static func read(_ descriptor: Int32, count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let got = bytes.withUnsafeMutableBytes { buffer in
                buffer.baseAddress.map { Glibc.read(descriptor, $0 + done, count - done) } ?? -1
            }
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else { return nil }
            done += got
        }
        return bytes
    }

    /// A u32 length and that many bytes.
    static func readBlock(_ descriptor: Int32) -> [UInt8]? {
        guard let head = read(descriptor, count: 4) else { return nil }
        let count = Int(UInt32(head[0]) | UInt32(head[1]) << 8 | UInt32(head[2]) << 16 | UInt32(head[3]) << 24)
        guard count <= maximumBytes + (1 << 20) else { return nil }
        return count == 0 ? [] : read(descriptor, count: count)
    }

    static func write(_ descriptor: Int32, _ bytes: [UInt8], send: (Int32, UnsafeRawPointer, Int) -> Int = { Glibc.write($0, $1, $2) }) -> Bool {
        var done = 0
        while done < bytes.count {
            let sent = bytes.withUnsafeBytes { buffer in
                buffer.baseAddress.map { send(descriptor, $0 + done, bytes.count - done) } ?? -1
            }
            if sent < 0 && errno == EINTR { continue }
            guard sent > 0 else { return false }
            done += sent
        }
        return true
    }
}
