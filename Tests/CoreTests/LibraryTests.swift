import Engine
import Search
import Foundation
import Testing
@testable import QweryCore

/// The core every face works through: folders, the engine slot (each model loaded once and shared by
/// search and the indexer), search with vectors the indexer just committed.
@Suite("Library")
struct LibraryTests {
    final class Folder {
        let base: String
        let notes: String

        init() throws {
            base = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("qwery-library-\(UUID().uuidString)")
                .resolvingSymlinksInPath().path
            notes = base + "/notes"
            try FileManager.default.createDirectory(atPath: notes, withIntermediateDirectories: true)
            try "# Bread\n\nFeed the sourdough starter twice a day.\n".write(toFile: notes + "/bread.md", atomically: true, encoding: .utf8)
            try "# Trip\n\nTrain to Porto, then Madrid.\n".write(toFile: notes + "/trip.md", atomically: true, encoding: .utf8)
        }

        func library(model: String? = SettingsTests.embedding) throws -> Library {
            let settings = try Settings.resolve(.init(index: base + "/index.sqlite", model: model, precision: .exact),
                                                environment: [:], config: ConfigFile(), discover: SettingsTests.nothingOnDisk)
            return try Library(settings: settings)
        }

        deinit { try? FileManager.default.removeItem(atPath: base) }
    }

    @Test("Given a library, when the search service and the indexer both need the model, then it is loaded once and shared")
    func oneEngineSlot() throws {
        let folder = try Folder()
        let library = try folder.library()
        let fromSearch = try #require(try library.embedder())
        let indexer = try library.makeIndexer()
        let fromIndexer = try #require(indexer.embedder)

        #expect(fromSearch.model === fromIndexer.model)
        #expect(indexer.scheduler === library.scheduler)
    }

    @Test("Given no folders named, configured or indexed, when asking for roots, then the error says to name one; once indexed, they are the index's")
    func roots() throws {
        let folder = try Folder()
        let library = try folder.library()
        #expect(throws: SettingsError.noFolders) { try library.roots(naming: []) }
        #expect(throws: SettingsError.invalidValue("\(folder.base)/missing is not a folder.")) { try library.roots(naming: [folder.base + "/missing"]) }

        _ = try library.makeIndexer().run(roots: [folder.notes])

        #expect(try library.roots(naming: []) == [folder.notes])
    }

    @Test("Given a live index feeding the search service, when the first run finishes, then search finds both notes semantically and coverage is whole")
    func liveIndexFeedsSearch() throws {
        let folder = try Folder()
        let library = try folder.library()
        _ = try library.searchService()
        #expect(try library.coverage() == (vectors: 0, chunks: 0))

        let finished = DispatchSemaphore(value: 0)
        let live = try library.startLiveSession(roots: [folder.notes], feedsSearch: true) { event in
            if case .indexing(.finished) = event { finished.signal() }
        }
        finished.wait()
        live.stop()
        var options = SearchService.Options()
        options.limit = 5
        let results = try library.search(SearchJob(.text("sourdough"), options: options, rerank: false))

        let coverage = try library.coverage()
        #expect(coverage.vectors == coverage.chunks && coverage.chunks == 2)
        #expect(results.first?.path == folder.notes + "/bread.md")
        #expect(results.first?.vectorScore != nil)
    }

    @Test("Given no embedding model, when indexing, then it indexes lexically and says so once")
    func lexicalOnly() throws {
        let folder = try Folder()
        let notices = NoticeLog()
        let settings = try Settings.resolve(.init(index: folder.base + "/index.sqlite"), environment: [:], config: ConfigFile(),
                                            discover: SettingsTests.nothingOnDisk)
        let library = try Library(settings: settings) { notices.append($0) }

        let summary = try library.makeIndexer().run(roots: [folder.notes])

        #expect(summary.filesIndexed == 2)
        #expect(summary.chunksEmbedded == 0)
        #expect(notices.lines.count == 1 && notices.lines[0].hasPrefix("no embedding model found; indexing lexically only"))
        #expect(try library.embedder() == nil)
    }
}

/// Notices a library gave, in order.
final class NoticeLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    func append(_ line: String) { lock.withLock { stored.append(line) } }
    var lines: [String] { lock.withLock { stored } }
}
