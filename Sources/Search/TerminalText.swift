/// Text from files is data: before it reaches a terminal, every character a terminal would act on is
/// made visible, so a file cannot retitle the window, clear the screen, write the clipboard (OSC 52),
/// move the cursor (a `^H` garbled list rows) or reorder what is shown (bidirectional overrides).
/// JSON output does not go through this: it stays exact.
package enum TerminalText {
    /// C0 controls and DEL in caret notation (`^[`, `^H`, `^?`); C1 controls and bidirectional
    /// overrides/isolates as `<U+XXXX>`. Tabs become a space and line breaks `^J`/`^M`: callers that
    /// print several lines split them first.
    package static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar) else {
                result.unicodeScalars.append(scalar)
                continue
            }
            result += replacement(scalar)
        }
        return result
    }

    /// The visible form of one character, or the character itself.
    package static func visible(_ character: Character) -> String {
        character.unicodeScalars.contains(where: needsEscape) ? visible(String(character)) : String(character)
    }

    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return value < 0x20 || value == 0x7F || (0x80...0x9F).contains(value)
            || (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value)
    }

    private static func replacement(_ scalar: Unicode.Scalar) -> String {
        let value = scalar.value
        if value == 0x09 { return " " }
        if value < 0x20 { return "^" + String(UnicodeScalar(UInt8(value + 0x40))) }
        if value == 0x7F { return "^?" }
        return "<U+" + String(value, radix: 16, uppercase: true).leftPadded(to: 4, with: "0") + ">"
    }
}

extension String {
    /// Right-aligned in `width` characters, padded on the left with `pad` (line numbers, code points).
    package func leftPadded(to width: Int, with pad: Character = " ") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
