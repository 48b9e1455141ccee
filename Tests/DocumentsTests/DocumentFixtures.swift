import Foundation
import TestSupport

/// The documents `Tests/Fixtures/documents/make_documents.py` writes (committed), read as bytes.
enum DocumentFixtures {
    static let folder = Repository.fixture("documents")

    static func data(_ name: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
    }

    /// The `qwery` executable built beside the test bundle (the extraction worker).
    static var qwery: String {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [bundle, bundle.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("qwery").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return Bundle.main.bundleURL.appendingPathComponent("qwery").path
    }
}
