import CKernels

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
    let scores: UnsafeMutablePointer<Float>      // (workers, block rows, context + longest)
    let scoresPerWorker: Int
    /// Scratch of attention's p·v in bf16 (fast precision only): packed values and bf16 probabilities.
    let attentionScratch: UnsafeMutablePointer<UInt16>?
    let attentionScratchPerWorker: Int
    /// Threads this pass may use inside each step (1 when the batch itself is split across cores).
    let workers: Int
    let contextKey: UnsafeMutablePointer<Float>  // (context + longest, kvHeads * headDim): cached + own keys
    let contextValue: UnsafeMutablePointer<Float>
    let weightTile: UnsafeMutablePointer<Float>  // (weightTileCount): weight rows converted just in time
    let weightTileCount: Int
    /// Low-precision copy of a projection's input: bf16 (fast) or u8 (int8, in the same bytes);
    /// tokens × widest input, rounded up to even.
    let activationBFloat16: UnsafeMutablePointer<UInt16>?
    private var allocations: [UnsafeMutablePointer<Float>] = []
    private var halfAllocations: [UnsafeMutablePointer<UInt16>] = []

    init(configuration: Qwen3Configuration, lengths: [Int], contextLength: Int, weightTileCount: Int, precision: Precision,
         workers: Int) {
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
        self.workers = max(1, workers)
        scoresPerWorker = min(AttentionJob.blockRows, longestSequence) * (contextLength + longestSequence)
        scores = allocate(self.workers * scoresPerWorker)
        let contextRows = contextLength > 0 ? contextLength + longestSequence : 0
        contextKey = allocate(contextRows * configuration.keyValueWidth)
        contextValue = allocate(contextRows * configuration.keyValueWidth)
        weightTile = allocate(weightTileCount)
        if precision != .exact {
            let widest = max(configuration.hiddenSize, configuration.queryWidth, configuration.intermediateSize) + 1
            let buffer = UnsafeMutablePointer<UInt16>.allocate(capacity: max(1, tokenCount * widest))
            activationBFloat16 = buffer
            halfAllocations.append(buffer)
        } else {
            activationBFloat16 = nil
        }
        if precision == .fast {
            attentionScratchPerWorker = qwery_attention_scratch_count(
                Int32(contextLength + longestSequence), Int32(configuration.headDimension), Int32(AttentionJob.blockRows))
            let scratch = UnsafeMutablePointer<UInt16>.allocate(capacity: max(1, self.workers * attentionScratchPerWorker))
            attentionScratch = scratch
            halfAllocations.append(scratch)
        } else {
            attentionScratch = nil
            attentionScratchPerWorker = 0
        }
        self.allocations = allocations
    }

    deinit {
        for pointer in allocations { pointer.deallocate() }
        for pointer in halfAllocations { pointer.deallocate() }
    }
}
