import Foundation
import Testing
@testable import QweryCore

/// A configuration file qwery cannot use whole is refused with its path and where, never half-read.
@Suite("Configuration file, hostile")
struct ConfigFileHostileTests {
    static func temporaryFile(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("qwery-config-\(UUID().uuidString).toml").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("Given a config with one Latin-1 byte in a comment, when read, then it is refused with the path, line and byte offset")
    func latin1Byte() throws {
        let path = try Self.temporaryFile(Array("ignore = [\"*.md\"]\n# caf".utf8) + [0xE9] + Array("\n".utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect {
            _ = try ConfigFile.readText(path)
        } throws: { error in
            "\(error)" == "\(path):2: byte 23 (0xE9) is not UTF-8; save the file as UTF-8"
        }
    }

    @Test("Given no config file, when read, then there is nothing to apply; given a folder in its place, then it is an error naming it")
    func missingAndFolder() throws {
        #expect(try ConfigFile.readText("/nonexistent/qwery/config.toml") == nil)
        let folder = FileManager.default.temporaryDirectory.path
        #expect(throws: ConfigFile.ParseError.self) { _ = try ConfigFile.readText(folder) }
    }

    @Test("Given values out of range, duplicate keys or an empty preset name, when parsed, then each is refused with its line", arguments: [
        ("dimensions = -5", "config.toml:1: dimensions must be an integer, a multiple of 32 from 32 up to the model's size (32, 64, 128, 256, 512, 768, 1024…)"),
        ("dimensions = 33", "config.toml:1: dimensions must be an integer, a multiple of 32 from 32 up to the model's size (32, 64, 128, 256, 512, 768, 1024…)"),
        ("rerank_depth = -1", "config.toml:1: rerank_depth must be an integer from 0 to 200"),
        ("max_file_size = 0", "config.toml:1: max_file_size must be a positive integer (bytes)"),
        ("theme = \"nord\"\ntheme = \"dark\"", "config.toml:2: theme is set twice (first on line 1); keep one"),
        ("[presets]\n = \"Find things\"", "config.toml:2: a preset needs a name before the = (name = \"instruction\")"),
        ("[presets]\na = \"x\"\na = \"y\"", "config.toml:3: presets.a is set twice (first on line 2); keep one"),
    ])
    func outOfRange(text: String, message: String) {
        #expect {
            _ = try ConfigFile.parse(text, path: "config.toml")
        } throws: { error in
            "\(error)" == message
        }
    }
}
