import Foundation
import Synchronization
import Testing
@testable import QweryCore

/// The screen's back end beside a running `qwery watch` (issue #35): its searches go to the server, streamed
/// stage by stage, and it loads no model of its own.
@Suite("Screen through the server", .serialized)
struct ServedScreenTests {
    /// Everything a session posts, in order.
    final class Events: Sendable {
        private let events = Mutex<[ScreenEvent]>([])

        var post: @Sendable (ScreenEvent) -> Void { { [self] event in events.withLock { $0.append(event) } } }
        var all: [ScreenEvent] { events.withLock { $0 } }

        /// Waits (polling, at most 120 s so a broken session fails instead of hanging) until `done` holds.
        func wait(_ what: String, until done: ([ScreenEvent]) -> Bool) throws {
            let deadline = Date().addingTimeInterval(120)
            while !done(all) {
                guard Date() < deadline else { throw WaitError(description: "never saw \(what); events: \(all)") }
                usleep(2_000)
            }
        }
    }

    struct WaitError: Error, CustomStringConvertible { let description: String }

    /// An indexed folder, with the embedding model and a reranker, and a server of its index.
    final class Served {
        let folder: LibraryTests.Folder
        let settings: Settings
        let library: Library
        let server: QueryServer
        let socket: String

        init() throws {
            folder = try LibraryTests.Folder()
            settings = try Settings.resolve(.init(index: folder.base + "/index.sqlite", model: SettingsTests.embedding,
                                                  reranker: SettingsTests.causal, precision: .exact),
                                            environment: [:], config: ConfigFile(), discover: SettingsTests.nothingOnDisk)
            library = try Library(settings: settings)
            _ = try library.index(roots: [folder.notes]) { _ in }
            try library.loadModels()
            socket = "/tmp/qwery-screen-\(UUID().uuidString.prefix(8)).sock"
            server = try QueryServer(library: library, socketPath: socket)
            server.start()
        }

        /// A screen's session over the same index, as another process would open it.
        func session(useServer: Bool, events: Events) throws -> (ScreenSession, Library) {
            let library = try Library(settings: settings)
            let options = ScreenSession.Options(roots: [folder.notes], watch: false, useServer: useServer, serverSocket: socket)
            return (try ScreenSession(library: library, options: options, post: events.post), library)
        }

        deinit { server.stop() }
    }

    /// The updates of one generation: lexical and semantic lists, rerank scores by chunk, whether it finished.
    struct Answer: Equatable {
        var lexical: [SearchResult]?
        var semantic: [SearchResult]?
        var scores: [Int64: Float] = [:]
        var finished = false

        init(_ events: [ScreenEvent], generation: Int) {
            for event in events {
                switch event {
                case .results(generation, let results, .lexical, _): lexical = results
                case .results(generation, let results, .semantic, _): semantic = results
                case .rerankScore(generation, let chunkId, let score, _, _): scores[chunkId] = score
                case .rerankFinished(generation, _): finished = true
                default: break
                }
            }
        }
    }

    static func query(_ text: String, generation: Int) -> ScreenQuery {
        ScreenQuery(generation: generation, query: QueryAnalysis(text), instruction: InstructionPreset.notes.instruction, dimensions: nil,
                    rerank: true)
    }

    @Test("Given qwery watch serving the index, when a screen searches, then it loads no model, says it is served, and every stage equals a screen that loads the models itself")
    func servedEqualsLocal() throws {
        let served = try Served()
        let viaServer = Events()
        let (session, library) = try served.session(useServer: true, events: viaServer)
        defer { session.stop() }
        session.start()
        try viaServer.wait("served") { $0.contains { if case .served(getpid()) = $0 { return true } else { return false } } }
        guard case .engineReady(true, false, let policy)? = viaServer.all.first else {
            Issue.record("expected engineReady(semantic, not indexing) first, got \(viaServer.all)")
            return
        }
        #expect(policy == .blendCode(weight: 0.5), "the 0.6B-sized reranker's policy, from the server")

        let local = Events()
        let (here, _) = try served.session(useServer: false, events: local)
        defer { here.stop() }
        here.start()
        try local.wait("engine ready") { $0.contains { if case .engineReady = $0 { return true } else { return false } } }

        session.search(Self.query("sourdough starter", generation: 1))
        here.search(Self.query("sourdough starter", generation: 1))
        try viaServer.wait("the served rerank pass") { Answer($0, generation: 1).finished }
        try local.wait("the local rerank pass") { Answer($0, generation: 1).finished }
        let remote = Answer(viaServer.all, generation: 1)
        let mine = Answer(local.all, generation: 1)
        #expect(remote.lexical?.first?.path.hasSuffix("/bread.md") == true)
        #expect(remote.semantic?.count == 2)
        #expect(!remote.scores.isEmpty)
        #expect(remote == mine)
        // The served screen loaded neither model, nor the vectors.
        #expect(library.loadedSearchHasSemantic == nil)
        #expect(library.models.loadedRerankPolicy == nil)
    }

    @Test("Given a screen served by qwery watch, when the server stops, then the next search says so, loads the models in the screen and still answers")
    func serverStops() throws {
        let served = try Served()
        let events = Events()
        let (session, library) = try served.session(useServer: true, events: events)
        defer { session.stop() }
        session.start()
        try events.wait("served") { $0.contains { if case .served = $0 { return true } else { return false } } }
        served.server.stop()

        session.search(Self.query("sourdough", generation: 2))
        try events.wait("the notice") { $0.contains { if case .notice(let text) = $0 { return text.hasPrefix("qwery watch stopped answering") } else { return false } } }
        try events.wait("results here") { Answer($0, generation: 2).lexical?.first?.path.hasSuffix("/bread.md") == true }
        // The models are then loaded here: the next query has a semantic stage of this process.
        try events.wait("engine ready here") { $0.filter { if case .engineReady = $0 { return true } else { return false } }.count == 2 }
        session.search(Self.query("sourdough", generation: 3))
        try events.wait("semantic results here") { Answer($0, generation: 3).semantic != nil }
        #expect(library.loadedSearchHasSemantic == true)
    }

    @Test("Given a streamed search, when the client cancels it, then the stream ends as cancelled and the server serves the next one")
    func cancelledStream() throws {
        let served = try Served()
        let client = QueryServerClient(socketPath: served.socket)
        var parameters = SearchParameters(query: "sourdough starter", limit: 10, dimensions: nil, perFile: nil,
                                          instruction: InstructionPreset.notes.instruction, rerank: true)
        parameters.typing = true
        var request = QueryServerClient.request(.stream, library: served.library, search: parameters)
        let connection = StreamConnection()
        var stages: [String] = []
        let end = client.stream(request, connection: connection) { update in
            if case .lexical = update { stages.append("lexical"); connection.cancel() }
            if case .semantic = update { stages.append("semantic") }
        }
        #expect(end == .cancelled)
        #expect(stages == ["lexical"])
        // Whole, in order, ending with done.
        request.id += 1
        var order: [String] = []
        let whole = client.stream(request, connection: StreamConnection()) { update in
            switch update {
            case .lexical: order.append("lexical")
            case .semantic: order.append("semantic")
            case .score: if order.last != "score" { order.append("score") }
            case .done: order.append("done")
            }
        }
        #expect(whole == .done)
        #expect(order == ["lexical", "semantic", "score", "done"])
    }

    @Test("Given no server, when a screen loads its own models and indexes, then it serves other faces' searches of the index until it stops")
    func screenServesWhileWriter() throws {
        let folder = try LibraryTests.Folder()
        let library = try folder.library()
        let events = Events()
        let session = try ScreenSession(library: library, options: ScreenSession.Options(roots: [folder.notes]), post: events.post)
        session.start()
        try events.wait("watching") { $0.contains { if case .watching = $0 { return true } else { return false } } }
        let client = QueryServerClient(library: library)
        try events.wait("the server") { _ in client.info() != nil }
        #expect(client.info()?.pid == getpid())
        session.stop()
        #expect(client.info() == nil)
    }
}
