/// How the Qwen2 split regex sees each Unicode scalar: a letter (`\p{L}`), a number (`\p{N}`),
/// white space (`\s`) or anything else.
///
/// The runs come from the reference tokenizer itself (see UnicodeClassTable.swift), so the scanner
/// agrees with the reference even where Swift's own Unicode tables are newer or older.
enum UnicodeClassTable {
    static let letter: UInt8 = 0
    static let number: UInt8 = 1
    static let space: UInt8 = 2
    static let other: UInt8 = 3

    /// One class per scalar value (1.1 MB), expanded from the runs on first use.
    static let classes: [UInt8] = {
        var table = [UInt8](repeating: other, count: 0x110000)
        table.withUnsafeMutableBufferPointer { buffer in
            for index in packedRuns.indices {
                let start = Int(packedRuns[index] >> 2)
                let end = index + 1 < packedRuns.count ? Int(packedRuns[index + 1] >> 2) : 0x110000
                let runClass = UInt8(packedRuns[index] & 3)
                if runClass != other {
                    for scalar in start..<end { buffer[scalar] = runClass }
                }
            }
        }
        return table
    }()
}
