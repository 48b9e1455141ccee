import Foundation
@testable import Store
import Testing
@testable import Search

/// The memory-resident vector matrix follows the database as vectors come and go.
@Suite("Vector index")
struct VectorIndexTests {
    static func hash(_ byte: UInt8) -> Data { Data(repeating: byte, count: 32) }

    /// A unit vector along `axis` of 8 dimensions, tilted by `tilt` towards axis 7.
    static func vector(_ axis: Int, tilt: Float = 0) -> [Float] {
        var values = [Float](repeating: 0, count: 8)
        values[axis] = 1
        values[7] += tilt
        return values
    }

    @Test("Given vectors added and removed between refreshes, when searching, then only present ones come back, best first")
    func refreshFollowsDatabase() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("qwery-vectors-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let database = try AppDatabase(path: path)
        let model = try database.registerModel(identity: "test", name: "test", dimension: 8)
        let modelId = try #require(model.id)
        try database.saveVectors([(Self.hash(1), Self.vector(0)), (Self.hash(2), Self.vector(1)), (Self.hash(3), Self.vector(0, tilt: 0.5))],
                                 modelId: modelId)
        let index = VectorIndex(modelId: modelId)
        try index.refresh(from: database)
        #expect(index.count == 3)

        var top = index.search(Self.vector(0), dimensions: nil, limit: 2)
        #expect(top.map(\.hash) == [Self.hash(1), Self.hash(3)])
        #expect(abs(top[1].score - 1 / Float(1.25).squareRoot()) < 1e-6)

        // Vector 1 goes, vector 4 arrives: one refresh sees both.
        try database.write("test") { db in try db.execute(sql: "DELETE FROM vector WHERE contentHash = ?", arguments: [Self.hash(1)]) }
        try database.saveVectors([(Self.hash(4), Self.vector(0, tilt: 0.1))], modelId: modelId)
        try index.refresh(from: database)
        #expect(index.count == 3)
        top = index.search(Self.vector(0), dimensions: nil, limit: 3)
        #expect(top.map(\.hash) == [Self.hash(4), Self.hash(3), Self.hash(2)])

        // At 2 dimensions the tilt is cut off: 4 and 3 score exactly 1 (ties keep row order).
        top = index.search(Self.vector(0), dimensions: 2, limit: 2)
        #expect(top.map(\.score) == [1, 1])
    }
}

extension VectorIndexTests {
    @Test("Given a filter keeping few rows and one keeping most, when searching within them, then both scans return exactly the best kept rows, in order")
    func restrictedScansAgree() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("qwery-vectors-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let database = try AppDatabase(path: path)
        let modelId = try #require(try database.registerModel(identity: "test", name: "test", dimension: 8).id)
        var generator = SystemRandomNumberGenerator()
        var stored: [(contentHash: Data, embedding: [Float])] = []
        for index in 0..<200 {
            stored.append((Data(repeating: UInt8(index % 256), count: 31) + Data([UInt8(index / 256), UInt8(index % 7)]),
                           (0..<8).map { _ in Float.random(in: -1...1, using: &generator) }))
        }
        try database.saveVectors(stored, modelId: modelId)
        let index = VectorIndex(modelId: modelId)
        try index.refresh(from: database)
        let query = (0..<8).map { _ in Float.random(in: -1...1, using: &generator) }
        let all = index.search(query, dimensions: nil, limit: 200)
        for keptCount in [10, 150] {  // under and over an eighth of the rows: the row loop, then the whole scan with a mask
            let kept = Set(stored.prefix(keptCount).map(\.contentHash))
            let expected = all.filter { kept.contains($0.hash) }.prefix(20)
            let found = index.search(query, dimensions: nil, limit: 20, within: kept)
            #expect(found.map(\.hash) == expected.map(\.hash), "\(keptCount) kept")
            #expect(zip(found, expected).allSatisfy { abs($0.score - $1.score) < 1e-5 })
        }
    }
}
