/// GPT-2's byte-level alphabet: each of the 256 byte values is shown as one printable scalar.
///
/// Vocabulary and merges in tokenizer.json are written in this alphabet; qwery turns them back into
/// raw bytes once at load time and runs BPE on raw UTF-8 bytes. Source: GPT-2 `bytes_to_unicode`.
enum ByteEncoder {
    /// The scalar value that stands for each byte.
    static let scalarForByte: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            let printable = (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
            if printable {
                table[byte] = UInt32(byte)
            } else {
                table[byte] = next
                next += 1
            }
        }
        return table
    }()

    /// The byte each scalar of the alphabet stands for, indexed by scalar value (below 0x144); -1 elsewhere.
    static let byteForScalar: [Int16] = {
        var table = [Int16](repeating: -1, count: 0x144)
        for (byte, scalar) in scalarForByte.enumerated() {
            table[Int(scalar)] = Int16(byte)
        }
        return table
    }()

    /// The raw bytes a byte-level string stands for, or nil when it uses a scalar outside the alphabet.
    static func decode(_ text: String, into bytes: inout [UInt8]) -> Bool {
        for scalar in text.unicodeScalars {
            let value = Int(scalar.value)
            guard value < byteForScalar.count, byteForScalar[value] >= 0 else { return false }
            bytes.append(UInt8(byteForScalar[value]))
        }
        return true
    }
}
