/// The BPE merge rules: the pair of token ids (left, right) → the merge's rank and the merged id.
///
/// Open addressing on 64-bit keys with a multiplicative hash: BPE looks pairs up in its inner loop.
struct MergeTable: Sendable {
    /// Rank and merged token of one rule.
    struct Merge: Sendable {
        let rank: UInt32
        let merged: UInt32
    }

    private var keys: [UInt64]
    private var ranks: [UInt32]
    private var merged: [UInt32]
    private let mask: Int
    private static let empty = UInt64.max

    init(capacityFor count: Int) {
        var capacity = 16
        while capacity < count * 2 { capacity <<= 1 }
        keys = [UInt64](repeating: Self.empty, count: capacity)
        ranks = [UInt32](repeating: 0, count: capacity)
        merged = [UInt32](repeating: 0, count: capacity)
        mask = capacity - 1
    }

    private static func key(_ left: UInt32, _ right: UInt32) -> UInt64 {
        UInt64(left) << 32 | UInt64(right)
    }

    private static func slot(for key: UInt64, mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    /// Adds a rule unless the pair already has one (the first, lowest-ranked rule wins, as in the reference).
    mutating func insert(left: UInt32, right: UInt32, rank: UInt32, merged mergedId: UInt32) {
        let key = Self.key(left, right)
        var slot = Self.slot(for: key, mask: mask)
        while keys[slot] != Self.empty {
            if keys[slot] == key { return }
            slot = (slot + 1) & mask
        }
        keys[slot] = key
        ranks[slot] = rank
        merged[slot] = mergedId
    }

    /// The rule for the pair, if any.
    @inline(__always)
    func merge(_ left: UInt32, _ right: UInt32) -> Merge? {
        let key = Self.key(left, right)
        return keys.withUnsafeBufferPointer { keys in
            var slot = Self.slot(for: key, mask: mask)
            while true {
                let found = keys[slot]
                if found == key { return Merge(rank: ranks[slot], merged: merged[slot]) }
                if found == Self.empty { return nil }
                slot = (slot + 1) & mask
            }
        }
    }
}
