import ArgumentParser
import QweryCore

/// The range every numeric option must fall in, checked before anything runs: a value far outside it is
/// a typo, and near Int.max it would overflow the arithmetic behind it (`-C 9223372036854775807`).
enum OptionBounds {
    static let contextLines = 0...1_000
    static let limit = 1...10_000
    static let perFile = 0...1_000
    static let dimensions = 1...65_536
    static let maximumTokens = 2...131_072
    static let rerankDepth = ConfigFile.rerankDepthRange
    static let repeats = 1...1_000

    /// Throws a usage error naming the option, the range and the value given.
    static func check<Value: BinaryInteger>(_ option: String, _ value: Value?, in range: ClosedRange<Int>) throws {
        guard let value else { return }
        guard let number = Int(exactly: value), range.contains(number) else {
            throw ValidationError("\(option) must be from \(range.lowerBound) to \(range.upperBound) (got \(value)).")
        }
    }
}
