/// A row-major fp32 matrix owned by the engine, allocated once and freed with its owner.
/// Written only while loading, read-only afterwards (see `Shared`).
final class FloatMatrix: Sendable {
    let rows: Int
    let columns: Int
    private let storage: Shared<UnsafeMutablePointer<Float>>
    var values: UnsafeMutablePointer<Float> { storage.value }

    init(rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
        storage = Shared(.allocate(capacity: max(1, rows * columns)))
        values.initialize(repeating: 0, count: max(1, rows * columns))
    }

    /// The tensor converted to fp32 (shape `[rows, columns]`, or a vector as one row).
    convenience init(_ tensor: StoredTensor) {
        let rows = tensor.shape.count == 2 ? tensor.shape[0] : 1
        let columns = tensor.shape.last ?? 1
        self.init(rows: rows, columns: columns)
        tensor.convert(start: 0, count: rows * columns, into: values)
    }

    var count: Int { rows * columns }

    deinit {
        values.deallocate()
    }
}
