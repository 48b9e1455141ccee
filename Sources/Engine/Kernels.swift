import CBLAS
import Foundation

/// The numeric building blocks of the forward pass, in fp32 on raw pointers.
enum Kernels {
    /// `output[rows, outputs] = input[rows, inputs] · weightᵀ`: one sgemm on fp32 weights, or one per
    /// tile of weight rows converted into `scratch` (`scratchCount` floats) just before use.
    static func linear(
        _ input: UnsafePointer<Float>, rows: Int, inputWidth: Int, weight: LinearWeight,
        output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>, scratchCount: Int
    ) {
        precondition(weight.columns == inputWidth, "linear: weight has \(weight.columns) columns, input \(inputWidth)")
        let outputs = weight.rows
        if let dense = weight.dense {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(outputs), Int32(inputWidth),
                        1, input, Int32(inputWidth), dense.values, Int32(inputWidth), 0, output, Int32(outputs))
            return
        }
        let tileRows = max(1, min(outputs, scratchCount / inputWidth))
        for firstRow in stride(from: 0, to: outputs, by: tileRows) {
            let count = min(tileRows, outputs - firstRow)
            weight.tensor.convert(start: firstRow * inputWidth, count: count * inputWidth, into: scratch)
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(count), Int32(inputWidth),
                        1, input, Int32(inputWidth), scratch, Int32(inputWidth), 0, output + firstRow, Int32(outputs))
        }
    }

    /// RMSNorm of `count` vectors of `width` values (stride `stride`), as transformers' Qwen3RMSNorm:
    /// `x / sqrt(mean(x²) + eps) * weight`, accumulated in double.
    static func rmsNorm(
        _ input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
        count: Int, width: Int, stride: Int, weight: UnsafePointer<Float>, epsilon: Float
    ) {
        for vector in 0..<count {
            let source = input + vector * stride
            let destination = output + vector * stride
            var sumOfSquares: Double = 0
            for index in 0..<width {
                let value = Double(source[index])
                sumOfSquares += value * value
            }
            let scale = Float(1 / (sumOfSquares / Double(width) + Double(epsilon)).squareRoot())
            for index in 0..<width {
                destination[index] = weight[index] * (source[index] * scale)
            }
        }
    }

    /// `gate = silu(gate) * up`, elementwise.
    static func siluMultiply(_ gate: UnsafeMutablePointer<Float>, _ up: UnsafePointer<Float>, count: Int) {
        for index in 0..<count {
            let value = gate[index]
            gate[index] = value / (1 + expf(-value)) * up[index]
        }
    }

    /// `target += addend`, elementwise.
    static func add(_ target: UnsafeMutablePointer<Float>, _ addend: UnsafePointer<Float>, count: Int) {
        cblas_saxpy(Int32(count), 1, addend, 1, target, 1)
    }

    /// Softmax of row `row` of a score matrix over its first `visible` entries (causal mask); the
    /// rest become 0.
    static func causalSoftmax(_ scores: UnsafeMutablePointer<Float>, row: Int, width: Int, visible: Int) {
        let values = scores + row * width
        var maximum = -Float.infinity
        for column in 0..<visible where values[column] > maximum { maximum = values[column] }
        var sum: Float = 0
        for column in 0..<visible {
            let exponent = expf(values[column] - maximum)
            values[column] = exponent
            sum += exponent
        }
        let inverse = 1 / sum
        for column in 0..<visible { values[column] *= inverse }
        for column in visible..<max(visible, width) { values[column] = 0 }
    }
}
