/// Every scratch buffer of one forward pass, allocated once for the batch's token count
/// (llama2.c's RunState): nothing is allocated inside the layer loop.
final class RunState {
    let tokenCount: Int
    /// Where each sequence's rows start.
    let starts: [Int]
    let hidden: UnsafeMutablePointer<Float>      // (tokens, hidden): the residual stream
    let normed: UnsafeMutablePointer<Float>      // (tokens, hidden)
    let query: UnsafeMutablePointer<Float>       // (tokens, heads * headDim)
    let key: UnsafeMutablePointer<Float>         // (tokens, kvHeads * headDim)
    let value: UnsafeMutablePointer<Float>       // (tokens, kvHeads * headDim)
    let attention: UnsafeMutablePointer<Float>   // (tokens, heads * headDim)
    let projected: UnsafeMutablePointer<Float>   // (tokens, hidden)
    let gate: UnsafeMutablePointer<Float>        // (tokens, intermediate)
    let up: UnsafeMutablePointer<Float>          // (tokens, intermediate)
    let scores: UnsafeMutablePointer<Float>      // (longest, context + longest)
    let contextKey: UnsafeMutablePointer<Float>  // (context + longest, kvHeads * headDim): cached + own keys
    let contextValue: UnsafeMutablePointer<Float>
    let weightTile: UnsafeMutablePointer<Float>  // (weightTileCount): weight rows converted just in time
    let weightTileCount: Int
    private var allocations: [UnsafeMutablePointer<Float>] = []

    init(configuration: Qwen3Configuration, lengths: [Int], contextLength: Int, weightTileCount: Int) {
        var starts: [Int] = []
        var total = 0
        for length in lengths {
            starts.append(total)
            total += length
        }
        self.starts = starts
        let tokenCount = total
        self.tokenCount = tokenCount
        let longestSequence = lengths.max() ?? 0
        self.weightTileCount = weightTileCount
        var allocations: [UnsafeMutablePointer<Float>] = []
        func allocate(_ count: Int) -> UnsafeMutablePointer<Float> {
            let pointer = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
            pointer.initialize(repeating: 0, count: max(count, 1))
            allocations.append(pointer)
            return pointer
        }
        hidden = allocate(tokenCount * configuration.hiddenSize)
        normed = allocate(tokenCount * configuration.hiddenSize)
        query = allocate(tokenCount * configuration.queryWidth)
        key = allocate(tokenCount * configuration.keyValueWidth)
        value = allocate(tokenCount * configuration.keyValueWidth)
        attention = allocate(tokenCount * configuration.queryWidth)
        projected = allocate(tokenCount * configuration.hiddenSize)
        gate = allocate(tokenCount * configuration.intermediateSize)
        up = allocate(tokenCount * configuration.intermediateSize)
        scores = allocate(longestSequence * (contextLength + longestSequence))
        let contextRows = contextLength > 0 ? contextLength + longestSequence : 0
        contextKey = allocate(contextRows * configuration.keyValueWidth)
        contextValue = allocate(contextRows * configuration.keyValueWidth)
        weightTile = allocate(weightTileCount)
        self.allocations = allocations
    }

    deinit {
        for pointer in allocations { pointer.deallocate() }
    }
}
