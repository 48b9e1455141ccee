import Foundation
import Testing
@testable import Store

/// The writer lock says what its holder does, so `qwery index` can tell an indexer from an idle watcher.
@Suite("Writer activity")
struct WriterActivityTests {
    @Test("Given a held writer lock, when its holder announces watching and then indexing, then another opener reads each, with the pid")
    func activityIsAnnounced() throws {
        let folder = try IndexFileTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let database = folder + "/index.sqlite"
        #expect(IndexWriterLock.currentHolder(databasePath: database) == nil)
        let lock = try #require(IndexWriterLock.acquire(databasePath: database))
        #expect(IndexWriterLock.currentHolder(databasePath: database) == .init(pid: getpid(), activity: .indexing))
        lock.announce(.watching)
        #expect(IndexWriterLock.currentHolder(databasePath: database) == .init(pid: getpid(), activity: .watching))
        lock.announce(.indexing)
        #expect(IndexWriterLock.currentHolder(databasePath: database)?.activity == .indexing)
        #expect(IndexWriterLock.holder(databasePath: database) == getpid())
    }
}
