/// Keys (after RoPE) and values of every layer for a run of tokens that many inputs start with —
/// the reranker's system prompt, instruction and query. Inputs then compute only their own tokens.
///
/// Causal attention makes the first L rows valid for any shorter prefix, so one cache serves inputs
/// whose tokenization departs from it early (see `commonLength`).
package final class PrefixCache: Sendable {
    package let ids: [Int]
    /// Per layer: (length, kvHeads * headDim) row-major.
    let keys: [[Float]]
    let values: [[Float]]

    init(ids: [Int], keys: [[Float]], values: [[Float]]) {
        self.ids = ids
        self.keys = keys
        self.values = values
    }

    /// How many leading tokens of `input` this cache covers, leaving at least one token to compute.
    package func commonLength(with input: [Int]) -> Int {
        var length = 0
        let limit = min(ids.count, input.count - 1)
        while length < limit && ids[length] == input[length] { length += 1 }
        return length
    }
}
