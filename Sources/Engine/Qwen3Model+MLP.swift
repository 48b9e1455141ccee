/// The MLP block of a Qwen3 layer: RMSNorm → SwiGLU (down(silu(gate(x)) · up(x))) added to the residual stream.
extension Qwen3Model {
    /// `hidden (rows, hidden) += down_proj(silu(gate_proj(x)) · up_proj(x))`, x = RMSNorm(hidden).
    func addFeedForward(_ layer: Qwen3LayerWeights, rows: Int, pass: ForwardPass) {
        let state = pass.state
        let hidden = configuration.hiddenSize
        let intermediate = configuration.intermediateSize
        Kernels.rmsNorm(state.hidden, output: state.normed, count: rows, width: hidden, stride: hidden,
                        weight: layer.postAttentionNorm.values, epsilon: configuration.rmsNormEpsilon)  // normed (rows, hidden)
        pass.project(state.normed, hidden, layer.gateProjection, state.gate, rows: rows)      // gate (rows, intermediate)
        pass.project(state.normed, hidden, layer.upProjection, state.up, rows: rows)          // up   (rows, intermediate)
        Kernels.siluMultiply(state.gate, state.up, count: rows * intermediate)               // gate = silu(gate) · up
        pass.project(state.gate, intermediate, layer.downProjection, state.projected, rows: rows)  // projected (rows, hidden)
        Kernels.add(state.hidden, state.projected, count: rows * hidden)
        pass.roundResidual(rows: rows, width: hidden)
    }
}
