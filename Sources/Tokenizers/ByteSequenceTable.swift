/// An open-addressing hash map from byte sequences to token ids, over one byte arena.
///
/// The vocabulary has 151k entries looked up during loading (three times per merge); Swift's
/// `Dictionary<String, Int>` hashes non-ASCII strings through Unicode normalization, which is
/// far slower than hashing the raw bytes.
struct ByteSequenceTable: Sendable {
    private var slots: [Int32]
    private var mask: Int
    private(set) var arena: [UInt8] = []
    private var starts: [Int32] = []
    private var lengths: [Int32] = []
    private var values: [Int32] = []

    init(expectedCount: Int) {
        var capacity = 16
        while capacity < expectedCount * 2 { capacity <<= 1 }
        slots = [Int32](repeating: -1, count: capacity)
        mask = capacity - 1
        starts.reserveCapacity(expectedCount)
        lengths.reserveCapacity(expectedCount)
        values.reserveCapacity(expectedCount)
    }

    var count: Int { values.count }

    /// Adds `bytes` → `value`; returns false (and changes nothing) when `bytes` is already present.
    @discardableResult
    mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>, value: Int32) -> Bool {
        if count * 2 >= slots.count { grow() }
        var slot = Int(truncatingIfNeeded: Self.hash(bytes)) & mask
        while slots[slot] >= 0 {
            if matches(entry: Int(slots[slot]), bytes) { return false }
            slot = (slot + 1) & mask
        }
        slots[slot] = Int32(values.count)
        starts.append(Int32(arena.count))
        lengths.append(Int32(bytes.count))
        values.append(value)
        arena.append(contentsOf: bytes)
        return true
    }

    /// The value stored for `bytes`, or nil.
    func value(for bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        var slot = Int(truncatingIfNeeded: Self.hash(bytes)) & mask
        while slots[slot] >= 0 {
            let entry = Int(slots[slot])
            if matches(entry: entry, bytes) { return values[entry] }
            slot = (slot + 1) & mask
        }
        return nil
    }

    func value(for bytes: [UInt8]) -> Int32? {
        bytes.withUnsafeBufferPointer { value(for: $0) }
    }

    private func matches(entry: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard Int(lengths[entry]) == bytes.count else { return false }
        let start = Int(starts[entry])
        return arena.withUnsafeBufferPointer { arena in
            for index in 0..<bytes.count where arena[start + index] != bytes[index] { return false }
            return true
        }
    }

    private mutating func grow() {
        let capacity = slots.count * 2
        slots = [Int32](repeating: -1, count: capacity)
        mask = capacity - 1
        for entry in values.indices {
            let start = Int(starts[entry])
            let hash = arena.withUnsafeBufferPointer { arena in
                Self.hash(UnsafeBufferPointer(rebasing: arena[start..<start + Int(lengths[entry])]))
            }
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(entry)
        }
    }

    /// FNV-1a over the bytes, finished with a multiply-xorshift so short keys spread over all slots.
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        hash ^= hash >> 29
        hash = hash &* 0xbf58_476d_1ce4_e5b9
        return hash ^ (hash >> 32)
    }
}
