import Foundation
import QweryCore

/// Floats as JSON numbers with 9 significant digits: enough to read back the identical fp32 value,
/// and never fewer than 7 digits, as the `embed`/`rerank` contracts promise.
enum FloatText {
    static func format(_ value: Float) -> String {
        guard value.isFinite else { return "null" }
        return String(format: "%#.9g", Double(value))
    }
}
