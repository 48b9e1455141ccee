import Foundation
import ModelHub
import Testing
import TestSupport

/// The puller itself, against the hub look-alike (the `qwery models pull` command is tested in CLITests).
@Suite("Model puller", .serialized)
struct ModelPullerTests {
    static let repository = "Qwen/Qwen3-Embedding-0.6B"

    static func scratch() throws -> String {
        let folder = NSTemporaryDirectory() + "qwery-puller-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test("Given a hub serving a checkpoint, when pulled twice, then the files arrive byte for byte and the second pull is up to date without downloading")
    func pullsThenIsUpToDate() throws {
        let fixture = Repository.fixture("models/tiny-embedding")
        let server = try HubFixtureServer(repository: Self.repository, folder: fixture)
        let models = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: models) }
        let endpoint = try #require(URL(string: server.endpoint))
        let puller = ModelPuller(client: HubClient(endpoint: endpoint, token: nil), modelsFolder: models)

        let first = try puller.pull(repository: Self.repository)
        #expect(first.folder == models + "/Qwen3-Embedding-0.6B" && !first.wasUpToDate)
        for file in ["config.json", "model.safetensors", "tokenizer.json"] {
            #expect(FileManager.default.contents(atPath: first.folder + "/" + file) == FileManager.default.contents(atPath: fixture + "/" + file), "\(file)")
        }
        let downloads = server.requests.count
        let second = try puller.pull(repository: Self.repository)
        #expect(second.wasUpToDate)
        #expect(server.requests.count == downloads + 1, "only the listing is asked again: \(server.requests.map(\.path))")
    }

    @Test("Given a hub that advertises a wrong checksum, when pulled, then nothing is installed and the error names the file")
    func refusesWrongChecksum() throws {
        let server = try HubFixtureServer(repository: Self.repository, folder: Repository.fixture("models/tiny-embedding"))
        server.advertiseWrongChecksum(for: "model.safetensors")
        let models = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: models) }
        let endpoint = try #require(URL(string: server.endpoint))
        var puller = ModelPuller(client: HubClient(endpoint: endpoint, token: nil), modelsFolder: models)
        puller.retryPause = 0
        #expect { try puller.pull(repository: Self.repository) } throws: { "\($0)".contains("model.safetensors") }
        #expect(!FileManager.default.fileExists(atPath: models + "/Qwen3-Embedding-0.6B"))
    }
}
