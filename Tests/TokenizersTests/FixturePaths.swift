import Foundation
import TestSupport

/// Locations of the committed fixtures, found from this source file's path.
enum FixturePaths {
    static let fixtures = Repository.fixtures

    static let qwen3Tokenizer = fixtures + "/tokenizer/qwen3-tokenizer.json"
    static let expectedIds = fixtures + "/tokenizer/expected-ids.jsonl"
}
