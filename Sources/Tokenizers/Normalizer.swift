import Foundation

/// The text normalization step of tokenizer.json: Unicode NFC, or nothing.
enum Normalizer: Sendable, Equatable {
    case none
    case nfc

    init(json: JSONValue?, path: String) throws(TokenizerError) {
        guard let json, !json.isNull else {
            self = .none
            return
        }
        switch json["type"]?.stringValue {
        case "NFC":
            self = .nfc
        case "Sequence":
            let steps = try (json["normalizers"]?.arrayValue ?? []).map { step throws(TokenizerError) in
                try Normalizer(json: step, path: path)
            }.filter { $0 != .none }
            switch steps.count {
            case 0: self = .none
            case 1: self = steps[0]
            default: throw .unsupported(path: path, component: "normalizer", found: "a Sequence of \(steps.count) steps")
            }
        case let type:
            throw .unsupported(path: path, component: "normalizer", found: type ?? "without a type")
        }
    }

    /// The normalized text. Scalars below U+0300 never compose or decompose, so such text is returned as is.
    func apply(_ text: String) -> String {
        guard self == .nfc else { return text }
        if text.utf8.allSatisfy({ $0 < 0xCC }) { return text }
        return text.precomposedStringWithCanonicalMapping
    }
}
