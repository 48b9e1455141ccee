import CProcess
import Foundation
import Search
import Store
import Synchronization
import Testing
@testable import QweryCore
#if canImport(Glibc)
import Glibc
#endif

/// The warm path (issue #35) in one process: a server over a library, clients as the faces use them.
@Suite("Query server", .serialized)
struct QueryServerTests {
    /// An indexed folder and a server of its index on a short socket path (sun_path holds 108 bytes).
    final class Served {
        let folder: LibraryTests.Folder
        let library: Library
        let server: QueryServer
        let socket: String

        init() throws {
            folder = try LibraryTests.Folder()
            library = try folder.library()
            try library.makeIndexer().run(roots: [folder.notes])
            socket = "/tmp/qwery-test-\(UUID().uuidString.prefix(8)).sock"
            server = try QueryServer(library: library, socketPath: socket)
            server.start()
        }

        func parameters(_ query: String) -> SearchParameters {
            SearchParameters(query: query, limit: 10, dimensions: nil, perFile: 3, instruction: InstructionPreset.notes.instruction,
                             rerank: false, rerankDepth: 10)
        }

        func request(_ query: String, library: Library? = nil) -> ServerRequest {
            QueryServerClient.request(.search, library: library ?? self.library, search: parameters(query))
        }

        deinit { server.stop() }
    }

    @Test("Given a server, when searched through it, then the results are the in-process results, and status names the server")
    func sameResultsEitherWay() throws {
        let served = try Served()
        let client = QueryServerClient(socketPath: served.socket)
        let answer = try #require(client.send(served.request("sourdough starter")))
        let local = try served.library.search(served.parameters("sourdough starter").job())
        #expect(answer.results == Array(local.prefix(10)))
        #expect(answer.results?.first?.path.hasSuffix("/bread.md") == true)
        let info = try #require(client.info())
        #expect(info.pid == getpid() && info.searches == 1 && info.index == served.library.database.path)
    }

    @Test("Given no server, a stale socket, or a server of another index or other models, when a face asks, then it gets nothing and searches itself")
    func fallbacks() throws {
        let served = try Served()
        #expect(QueryServerClient(socketPath: "/tmp/qwery-none-\(UUID().uuidString.prefix(8)).sock").send(served.request("bread")) == nil)
        // Another model: the server says so and the face searches itself.
        let other = try served.folder.library(model: nil)
        #expect(QueryServerClient(socketPath: served.socket).send(served.request("bread", library: other)) == nil)
        // Another index (a library over another folder's database): the server says so and the face searches itself.
        let elsewhere = try LibraryTests.Folder()
        #expect(QueryServerClient(socketPath: served.socket).send(served.request("bread", library: try elsewhere.library())) == nil)
        // A syntax error there: the face searches itself, and says it as it would.
        #expect(QueryServerClient(socketPath: served.socket).send(served.request("bread sym:")) == nil)
        // A stale socket (its server gone without cleaning up): refused at connect, then replaced by the next server.
        let stale = "/tmp/qwery-stale-\(UUID().uuidString.prefix(8)).sock"
        // Listening once, then closed without removing its file: what a server killed with SIGKILL leaves behind.
        let descriptor = qwery_unix_listen(stale)
        #expect(descriptor >= 0)
        close(descriptor)
        #expect(FileManager.default.fileExists(atPath: stale))
        #expect(QueryServerClient(socketPath: stale).send(served.request("bread")) == nil)
        let replacement = try QueryServer(library: served.library, socketPath: stale)
        replacement.start()
        defer { replacement.stop() }
        #expect(QueryServerClient(socketPath: stale).send(served.request("bread"))?.results?.isEmpty == false)
        // A live server is never replaced.
        #expect(throws: QueryServer.StartError.self) { try QueryServer(library: served.library, socketPath: stale) }
    }

    @Test("Given 200 clients at once, one of which vanishes mid-request, when served, then every other one is answered and no connection stays open")
    func concurrentClients() throws {
        let served = try Served()
        let expected = try #require(QueryServerClient(socketPath: served.socket).send(served.request("train porto")))
        // A client that sends a request and vanishes before the answer.
        let vanishing = qwery_unix_connect(served.socket, 5)
        if let body = try? JSONEncoder().encode(served.request("train porto")) {
            _ = body.withUnsafeBytes { write(vanishing, $0.baseAddress, $0.count) }
            _ = write(vanishing, "\n", 1)
        }
        close(vanishing)
        let answered = Atomic<Int>(0)
        let socket = served.socket
        let request = served.request("train porto")
        DispatchQueue.concurrentPerform(iterations: 200) { _ in
            if QueryServerClient(socketPath: socket).send(request)?.results == expected.results {
                answered.add(1, ordering: .relaxed)
            }
        }
        #expect(answered.load(ordering: .relaxed) == 200)
        // Connections close as their clients go: wait for the count to settle (bounded), then it is zero.
        let deadline = Date().addingTimeInterval(10)
        while served.server.clientCount > 0 && Date() < deadline { usleep(10_000) }
        #expect(served.server.clientCount == 0)
    }
}

extension QueryServerTests {
    @Test("Given a server whose socket another user can reach, when that user connects and asks, then it is closed unanswered; its owner is answered")
    func anotherUserIsRefused() throws {
        let served = try Served()
        // Open the door wide on purpose: only the peer-credential check stands between another user and the index.
        #expect(chmod(served.socket, 0o666) == 0)
        let script = """
            import socket, sys
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(sys.argv[1])
            try:
                s.sendall(b'{"id":1,"method":"status","index":""}\\n')
                s.settimeout(10)
                data = s.recv(65536)
            except OSError:
                data = b""
            print("answered" if data else "closed")
            """
        let other = Process()
        other.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
        other.arguments = ["-u", "nobody", "--", "/usr/bin/python3", "-c", script, served.socket]
        let output = Pipe()
        other.standardOutput = output
        other.standardError = FileHandle.nullDevice
        try other.run()
        other.waitUntilExit()
        let said = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        try #require(other.terminationStatus == 0, "runuser or python3 could not run as nobody: \(said)")
        #expect(said.trimmingCharacters(in: .whitespacesAndNewlines) == "closed")
        #expect(QueryServerClient(socketPath: served.socket).info() != nil, "the owner is still served")
    }

    @Test("Given a server that dies mid-request (closes without answering), when a face asks, then it gets nothing and searches itself")
    func serverDyingMidRequest() throws {
        let path = "/tmp/qwery-dying-\(UUID().uuidString.prefix(8)).sock"
        let listener = qwery_unix_listen(path)
        try #require(listener >= 0)
        defer { close(listener); unlink(path) }
        let thread = Thread {
            let connection = accept(listener, nil, nil)
            var buffer = [UInt8](repeating: 0, count: 4096)
            _ = read(connection, &buffer, buffer.count)  // the request arrives; the "server" dies before answering
            close(connection)
        }
        thread.start()
        let folder = try LibraryTests.Folder()
        let library = try folder.library(model: nil)
        let request = QueryServerClient.request(.search, library: library,
                                                search: SearchParameters(query: "bread", limit: 5, dimensions: nil, perFile: nil, instruction: nil, rerank: false))
        #expect(QueryServerClient(socketPath: path).send(request) == nil)
    }

    @Test("Given the index's writer serving at a socket its path would not name, when a face opens a client of the index, then the lock file leads it there; stopped, the lock no longer names it")
    func socketNamedInWriterLock() throws {
        let folder = try LibraryTests.Folder()
        let library = try folder.library()
        _ = try library.index(roots: [folder.notes]) { _ in }
        let writer = try #require(IndexWriterLock.acquire(databasePath: library.indexPath))
        let socket = "/tmp/qwery-named-\(UUID().uuidString.prefix(8)).sock"
        #expect(socket != ServerAddress.socketPath(forIndex: library.indexPath))
        let server = try QueryServer(library: library, socketPath: socket)
        server.start()
        #expect(IndexWriterLock.currentHolder(databasePath: library.indexPath)?.socket == socket)
        let client = QueryServerClient(library: library)
        #expect(client.socketPath == socket)
        #expect(client.info()?.pid == getpid())
        server.stop()
        #expect(IndexWriterLock.currentHolder(databasePath: library.indexPath)?.socket == nil)
        #expect(QueryServerClient(library: library).socketPath == ServerAddress.socketPath(forIndex: library.indexPath))
        withExtendedLifetime(writer) {}
    }

    @Test("Given systemd socket activation, when the server takes the socket it was passed, then it answers there and leaves the socket file to systemd when it stops")
    func socketActivation() throws {
        #expect(ServerAddress.activatedListener(environment: ["LISTEN_PID": "\(getpid())", "LISTEN_FDS": "1"]) == 3)
        #expect(ServerAddress.activatedListener(environment: ["LISTEN_PID": "1", "LISTEN_FDS": "1"]) == nil, "passed to another process")
        #expect(ServerAddress.activatedListener(environment: [:]) == nil)
        let served = try Served()
        // What systemd does for qwery-watch.socket: it binds and listens, and hands the descriptor over.
        let path = "/tmp/qwery-activated-\(UUID().uuidString.prefix(8)).sock"
        let listening = qwery_unix_listen(path)
        #expect(listening >= 0)
        defer { unlink(path) }
        let server = try QueryServer(library: served.library, inherited: listening)
        #expect(server.socketPath == path)
        server.start()
        #expect(QueryServerClient(socketPath: path).send(served.request("sourdough"))?.results?.isEmpty == false)
        server.stop()
        #expect(FileManager.default.fileExists(atPath: path), "systemd's socket file stays for the next activation")
        // A descriptor that is not a listening Unix socket is refused in words.
        #expect(throws: QueryServer.StartError.self) { try QueryServer(library: served.library, inherited: open("/dev/null", O_RDONLY)) }
    }
}
