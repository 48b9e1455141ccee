/// Byte-level BPE over raw UTF-8 bytes: each byte starts as its own token, then the lowest-ranked
/// merge rule (leftmost on ties) is applied until none applies, as in the reference's `Word::merge_all`.
struct BytePairEncoder: Sendable {
    /// The token id of each single byte.
    let byteTokens: [UInt32]
    let merges: MergeTable

    /// Words up to this many bytes use a flat array; longer ones (runs of `=`, long identifiers) a heap.
    private static let flatLimit = 96

    /// Appends the tokens of one pre-tokenized piece to `output`.
    func encode(_ word: UnsafeBufferPointer<UInt8>, into output: inout [Int]) {
        switch word.count {
        case 0:
            return
        case 1:
            output.append(Int(byteTokens[Int(word[0])]))
        case ...Self.flatLimit:
            encodeFlat(word, into: &output)
        default:
            encodeWithHeap(word, into: &output)
        }
    }

    // MARK: - Short words

    private func encodeFlat(_ word: UnsafeBufferPointer<UInt8>, into output: inout [Int]) {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: word.count * 3) { storage in
            let count = word.count
            // symbols[i]; pairRank[i], pairMerged[i] describe the pair (symbols[i], symbols[i + 1]).
            let symbols = UnsafeMutableBufferPointer(rebasing: storage[0..<count])
            let pairRank = UnsafeMutableBufferPointer(rebasing: storage[count..<2 * count])
            let pairMerged = UnsafeMutableBufferPointer(rebasing: storage[2 * count..<3 * count])
            for index in 0..<count { symbols[index] = byteTokens[Int(word[index])] }
            var length = count
            func refreshPair(_ index: Int) {
                if let merge = merges.merge(symbols[index], symbols[index + 1]) {
                    pairRank[index] = merge.rank
                    pairMerged[index] = merge.merged
                } else {
                    pairRank[index] = .max
                }
            }
            for index in 0..<length - 1 { refreshPair(index) }
            while length > 1 {
                var best = -1
                var bestRank = UInt32.max
                for index in 0..<length - 1 where pairRank[index] < bestRank {
                    bestRank = pairRank[index]
                    best = index
                }
                if best < 0 { break }
                symbols[best] = pairMerged[best]
                // Close the gap left by symbols[best + 1].
                var index = best + 1
                while index < length - 1 {
                    symbols[index] = symbols[index + 1]
                    pairRank[index] = pairRank[index + 1]
                    pairMerged[index] = pairMerged[index + 1]
                    index += 1
                }
                length -= 1
                if best > 0 { refreshPair(best - 1) }
                if best < length - 1 { refreshPair(best) }
            }
            for index in 0..<length { output.append(Int(symbols[index])) }
        }
    }

    // MARK: - Long words

    /// A priority queue of candidate merges keyed by (rank, position): O(n log n) for very long pieces.
    private func encodeWithHeap(_ word: UnsafeBufferPointer<UInt8>, into output: inout [Int]) {
        let count = word.count
        var symbols = word.map { byteTokens[Int($0)] }
        var previous = (0..<count).map { $0 - 1 }
        var next = (0..<count).map { $0 + 1 == count ? -1 : $0 + 1 }
        var removed = [Bool](repeating: false, count: count)
        var heap = MinHeap()
        for index in 0..<count - 1 {
            if let merge = merges.merge(symbols[index], symbols[index + 1]) {
                heap.push(UInt64(merge.rank) << 32 | UInt64(index))
            }
        }
        while let top = heap.pop() {
            let rank = UInt32(truncatingIfNeeded: top >> 32)
            let position = Int(truncatingIfNeeded: top & 0xFFFF_FFFF)
            guard !removed[position] else { continue }
            let right = next[position]
            guard right >= 0, let merge = merges.merge(symbols[position], symbols[right]), merge.rank == rank else { continue }
            symbols[position] = merge.merged
            removed[right] = true
            next[position] = next[right]
            if next[right] >= 0 { previous[next[right]] = position }
            let left = previous[position]
            if left >= 0, let leftMerge = merges.merge(symbols[left], symbols[position]) {
                heap.push(UInt64(leftMerge.rank) << 32 | UInt64(left))
            }
            if next[position] >= 0, let rightMerge = merges.merge(symbols[position], symbols[next[position]]) {
                heap.push(UInt64(rightMerge.rank) << 32 | UInt64(position))
            }
        }
        var index = 0
        while index >= 0 && index < count {
            output.append(Int(symbols[index]))
            index = next[index]
        }
    }
}

/// A binary min-heap of packed (rank << 32 | position) keys.
private struct MinHeap {
    private var items: [UInt64] = []

    mutating func push(_ item: UInt64) {
        items.append(item)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            if items[parent] <= items[child] { break }
            items.swapAt(parent, child)
            child = parent
        }
    }

    mutating func pop() -> UInt64? {
        guard let last = items.popLast() else { return nil }
        guard !items.isEmpty else { return last }
        let top = items[0]
        items[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < items.count && items[left] < items[smallest] { smallest = left }
            if right < items.count && items[right] < items[smallest] { smallest = right }
            if smallest == parent { break }
            items.swapAt(parent, smallest)
            parent = smallest
        }
        return top
    }
}
