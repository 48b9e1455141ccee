import Foundation
import TestSupport

/// Runs the built `qwery` binary with arguments and standard input, as scripts would.
enum QweryProcess {
    struct Result {
        let status: Int32
        let standardOutput: String
        let standardError: String
    }

    static let fixtures = Repository.fixtures

    /// The `qwery` executable built beside the test bundle.
    static var executable: String {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [bundle, bundle.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("qwery").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return Bundle.main.bundleURL.appendingPathComponent("qwery").path
    }

    static func run(_ arguments: [String], input: String = "", environment: [String: String] = [:]) throws -> Result {
        let result = try ChildProcess.run(executable, arguments, input: input, environment: environment)
        return Result(status: result.status, standardOutput: result.standardOutput, standardError: result.standardError)
    }
}
