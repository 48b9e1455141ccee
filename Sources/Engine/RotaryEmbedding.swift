import Foundation

/// Rotary position embedding in the non-interleaved "rotate half" form of transformers' Llama/Qwen3:
/// `x' = x·cos + rotate_half(x)·sin`, with `rotate_half([a, b]) = [-b, a]`.
///
/// Angles are formed as the reference forms them (fp32 inverse frequencies times fp32 positions),
/// so long inputs keep their agreement.
struct RotaryEmbedding: Sendable {
    let headDimension: Int
    /// `1 / theta^(2i / headDimension)` for i in 0..<headDimension/2, rounded to fp32.
    let inverseFrequencies: [Float]

    init(headDimension: Int, theta: Double) {
        self.headDimension = headDimension
        inverseFrequencies = (0..<headDimension / 2).map { index in
            let exponent = Float(2 * index) / Float(headDimension)
            return 1 / Float(pow(theta, Double(exponent)))
        }
    }

    /// cos and sin tables of shape (positions, headDimension/2).
    func tables(positions: Int) -> (cos: [Float], sin: [Float]) {
        let half = headDimension / 2
        var cosines = [Float](repeating: 0, count: positions * half)
        var sines = [Float](repeating: 0, count: positions * half)
        for position in 0..<positions {
            for index in 0..<half {
                let angle = Double(Float(position) * inverseFrequencies[index])
                cosines[position * half + index] = Float(cos(angle))
                sines[position * half + index] = Float(sin(angle))
            }
        }
        return (cosines, sines)
    }
}
