import Foundation
import Testing
@testable import Syntax

/// The client's side of the syntax worker when the worker misbehaves; the real worker is exercised through
/// the binary (CodeSymbolCommandTests: a crashing grammar costs one file).
@Suite("Syntax worker client")
struct SyntaxWorkerClientTests {
    @Test("Given a worker that exits, one that never answers and one that cannot start, when asked, then each request gets nil and says why")
    func misbehavingWorkers() {
        let exits = SyntaxWorkerClient(command: ["/bin/true"])
        #expect(exits.outline("x = 1\n", path: "a.py") == nil)
        #expect(exits.takeFailures() == ["a.py: the syntax worker exited (status 0) on it"])
        #expect(exits.takeFailures().isEmpty, "taken once")

        let silent = SyntaxWorkerClient(command: ["/bin/sleep", "60"], timeoutSeconds: 1)
        #expect(silent.highlights("x = 1\n", path: "a.py") == nil)
        #expect(silent.takeFailures() == ["a.py: the syntax worker took longer than 1 s on it"])

        let missing = SyntaxWorkerClient(command: ["/nonexistent/qwery", "syntax-worker"])
        #expect(missing.outline("x = 1\n", path: "a.py") == nil && missing.outline("y = 2\n", path: "b.py") == nil)
        let failures = missing.takeFailures()
        #expect(failures.count == 1 && failures[0].hasPrefix("a.py: cannot start the syntax worker /nonexistent/qwery"), "said once: \(failures)")
    }

    @Test("Given frames, when written and read back, then lengths are little-endian u32 and an oversized block is refused")
    func frames() throws {
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        defer { close(ends[0]) }
        #expect(WorkerFrame.write(ends[1], WorkerFrame.length(3) + Array("abc".utf8) + WorkerFrame.length(WorkerFrame.maximumBytes + (2 << 20))))
        close(ends[1])
        #expect(WorkerFrame.readBlock(ends[0]) == Array("abc".utf8))
        #expect(WorkerFrame.readBlock(ends[0]) == nil, "a length past the cap is not read")
    }
}
