/// Memory the engine's threads share, by one of two rules: weights are written once, while loading, and only
/// read afterwards; the buffers of one parallel step are written by each thread in its own rows, columns or
/// heads only, and the step joins before anyone reads them. Raw pointers are not `Sendable`; this wrapper is
/// where the engine says, once, that its memory is shared under those rules — no lock, because no byte of it is
/// written by two threads or read while it is written. Every other engine type is plainly `Sendable`.
struct Shared<Value>: @unchecked Sendable {
    let value: Value

    init(_ value: Value) {
        self.value = value
    }
}
