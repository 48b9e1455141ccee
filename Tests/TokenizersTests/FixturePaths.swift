import Foundation

/// Locations of the committed fixtures, found from this source file's path.
enum FixturePaths {
    static let fixtures: String = {
        var url = URL(fileURLWithPath: #filePath)
        url.deleteLastPathComponent()
        url.deleteLastPathComponent()
        return url.appendingPathComponent("Fixtures").path
    }()

    static let qwen3Tokenizer = fixtures + "/tokenizer/qwen3-tokenizer.json"
    static let expectedIds = fixtures + "/tokenizer/expected-ids.jsonl"
}
