import Foundation
import Testing
import TestSupport

@Suite("Pulling models from a hub")
struct ModelPullTests {
    static let fixture = QweryProcess.fixtures + "/models/tiny-embedding"
    static let repository = "Qwen/Qwen3-Embedding-0.6B"

    /// A scratch home: qwery's models folder and an empty Hugging Face cache under it.
    struct Home {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("qwery-pull-\(UUID().uuidString)").path
        var models: String { root + "/data/qwery/models" }
        var environment: [String: String] {
            ["XDG_DATA_HOME": root + "/data", "HF_HOME": root + "/hf", "XDG_CONFIG_HOME": root + "/config",
             "HF_TOKEN": "secret-token", "HF_ENDPOINT": "http://127.0.0.1:9"]
        }
        func remove() { try? FileManager.default.removeItem(atPath: root) }
    }

    static func pull(_ server: HubFixtureServer, _ home: Home) throws -> QweryProcess.Result {
        try QweryProcess.run(["models", "pull", "Qwen3-Embedding-0.6B", "--endpoint", server.endpoint], environment: home.environment)
    }

    static func expectInstalledEqualsFixture(_ home: Home) throws {
        let installed = home.models + "/Qwen3-Embedding-0.6B"
        for name in ["config.json", "tokenizer.json", "model.safetensors"] {
            let expected = try Data(contentsOf: URL(fileURLWithPath: fixture + "/" + name).resolvingSymlinksInPath())
            #expect(FileManager.default.contents(atPath: installed + "/" + name) == expected, "\(name)")
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: home.models)
        #expect(leftovers == ["Qwen3-Embedding-0.6B"])
        #expect(FileManager.default.fileExists(atPath: installed + "/.qwery-pull.json"), "the pull is recorded")
        #expect(!FileManager.default.fileExists(atPath: installed + "/.lock"))
    }

    @Test("Given a hub that drops the connection mid-file, when pulling, then it resumes with a range and installs the exact files")
    func resumesAfterDroppedConnection() throws {
        let server = try HubFixtureServer(repository: Self.repository, folder: Self.fixture)
        server.dropConnection(of: "model.safetensors", after: 1_000_000)
        let home = Home()
        defer { home.remove() }

        let result = try Self.pull(server, home)

        #expect(result.status == 0, "\(result.standardError)")
        try Self.expectInstalledEqualsFixture(home)
        let weightRequests = server.requests.filter { $0.path == "/lfs/model.safetensors" }
        #expect(weightRequests.count == 2)
        #expect(weightRequests.last?.range == "bytes=1000000-")
        // The token goes to the hub only, never to the host the weights are redirected to.
        #expect(server.requests.filter { !$0.path.hasPrefix("/lfs/") }.allSatisfy { $0.authorization == "Bearer secret-token" })
        #expect(weightRequests.allSatisfy { $0.authorization == nil })
        #expect(result.standardError.contains("resuming (attempt 2)"), "\(result.standardError)")

        // The pulled model is found and active without any flag.
        let listed = try QweryProcess.run(["models"], environment: home.environment)
        let line = listed.standardOutput.split(separator: "\n").first { $0.contains("Qwen3-Embedding-0.6B") }
        #expect(line?.hasPrefix("*") == true, "\(listed.standardOutput)")
        #expect(line?.contains(home.models) == true, "\(listed.standardOutput)")
    }

    @Test("Given a pull killed mid-file, when run again, then it continues from the bytes already on disk")
    func resumesAfterKill() throws {
        let server = try HubFixtureServer(repository: Self.repository, folder: Self.fixture)
        server.hang("model.safetensors", after: 2_000_000)
        let home = Home()
        defer { home.remove() }
        let first = try ChildProcess(QweryProcess.executable, ["models", "pull", "--endpoint", server.endpoint, "Qwen3-Embedding-0.6B"],
                                     environment: home.environment)
        let partial = home.models + "/.Qwen3-Embedding-0.6B.partial/model.safetensors"
        let deadline = Date().addingTimeInterval(20)
        while Self.size(partial) < 2_000_000, Date() < deadline { usleep(20_000) }
        first.kill(SIGKILL)
        first.wait()
        #expect(Self.size(partial) == 2_000_000)
        #expect(!FileManager.default.fileExists(atPath: home.models + "/Qwen3-Embedding-0.6B"))

        let second = try Self.pull(server, home)

        #expect(second.status == 0, "\(second.standardError)")
        try Self.expectInstalledEqualsFixture(home)
        #expect(server.requests.last { $0.path == "/lfs/model.safetensors" }?.range == "bytes=2000000-")
    }

    @Test("Given a hub whose checksum does not match the file, when pulling, then it fails naming the file and installs nothing")
    func rejectsWrongChecksum() throws {
        let server = try HubFixtureServer(repository: Self.repository, folder: Self.fixture)
        server.advertiseWrongChecksum(for: "model.safetensors")
        let home = Home()
        defer { home.remove() }

        let result = try Self.pull(server, home)

        #expect(result.status != 0)
        #expect(result.standardError.contains("model.safetensors has SHA-256"), "\(result.standardError)")
        #expect(!FileManager.default.fileExists(atPath: home.models + "/Qwen3-Embedding-0.6B"))
        #expect(!FileManager.default.fileExists(atPath: home.models + "/.Qwen3-Embedding-0.6B.partial/model.safetensors"))
    }

    @Test("Given an installed model, when pulled again, then the folder is replaced whole and stays usable")
    func replacesInstalledModel() throws {
        let server = try HubFixtureServer(repository: Self.repository, folder: Self.fixture)
        let home = Home()
        defer { home.remove() }
        let installed = home.models + "/Qwen3-Embedding-0.6B"
        try FileManager.default.createDirectory(atPath: installed, withIntermediateDirectories: true)
        try Data("stale".utf8).write(to: URL(fileURLWithPath: installed + "/config.json"))

        let result = try Self.pull(server, home)

        #expect(result.status == 0, "\(result.standardError)")
        try Self.expectInstalledEqualsFixture(home)
    }

    @Test("Given no hub is reachable, when pulling, then the message says so and that search still works lexically")
    func offline() throws {
        let home = Home()
        defer { home.remove() }
        let result = try QweryProcess.run(["models", "pull"], environment: home.environment)
        #expect(result.status != 0)
        #expect(result.standardError.contains("Cannot reach the hub mirror http://127.0.0.1:9 (connection refused)"), "\(result.standardError)")
        #expect(result.standardError.contains("lexically"))
        #expect(!FileManager.default.fileExists(atPath: home.models + "/Qwen3-Embedding-0.6B"))
    }

    @Test("Given a model name the hub does not have, when pulling, then the error names it")
    func unknownModel() throws {
        let server = try HubFixtureServer(repository: Self.repository, folder: Self.fixture)
        let home = Home()
        defer { home.remove() }
        let result = try QweryProcess.run(["models", "pull", "Qwen3-Embedding-9B", "--endpoint", server.endpoint], environment: home.environment)
        #expect(result.status != 0)
        #expect(result.standardError.contains("no model Qwen/Qwen3-Embedding-9B"), "\(result.standardError)")
    }

    static func size(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }
}

extension ModelPullTests {
    @Test("Given a model pulled once, when pulled again, then nothing is downloaded and it says up to date; a folder copied by hand is hashed once and is up to date too")
    func secondPullIsUpToDate() throws {
        let server = try HubFixtureServer(repository: Self.repository, folder: Self.fixture)
        let home = Home()
        defer { home.remove() }
        #expect(try Self.pull(server, home).status == 0)
        let weightsBefore = server.requests.filter { $0.path == "/lfs/model.safetensors" }.count

        let again = try Self.pull(server, home)
        #expect(again.status == 0, "\(again.standardError)")
        #expect(again.standardError.contains("is up to date"), "\(again.standardError)")
        #expect(server.requests.filter { $0.path == "/lfs/model.safetensors" }.count == weightsBefore)
        try Self.expectInstalledEqualsFixture(home)

        // Without the record of the pull (a folder copied by hand), the files are hashed, then found identical.
        try FileManager.default.removeItem(atPath: home.models + "/Qwen3-Embedding-0.6B/.qwery-pull.json")
        let copied = try Self.pull(server, home)
        #expect(copied.standardError.contains("verifying model.safetensors"), "\(copied.standardError)")
        #expect(copied.standardError.contains("is up to date"), "\(copied.standardError)")
        #expect(server.requests.filter { $0.path == "/lfs/model.safetensors" }.count == weightsBefore)
    }

    @Test("Given HF_ENDPOINT naming a mirror that is down, when pulling, then the hint is to check the mirror or unset it, not to set one")
    func mirrorDown() throws {
        let home = Home()
        defer { home.remove() }
        let result = try QweryProcess.run(["models", "pull"], environment: home.environment)
        #expect(result.standardError.contains("Cannot reach the hub mirror http://127.0.0.1:9 (connection refused)"), "\(result.standardError)")
        #expect(result.standardError.contains("unset HF_ENDPOINT"))
        #expect(!result.standardError.contains("set HF_ENDPOINT to a mirror"))
    }
}
