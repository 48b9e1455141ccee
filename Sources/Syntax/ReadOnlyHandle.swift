/// A tree-sitter language or compiled query: created once, then only read. tree-sitter shares both between
/// threads by design (every parse has its own parser, every query run its own cursor). Opaque pointers are not
/// `Sendable`; this is where Syntax says, once, that these are shared read-only — no lock, because nothing writes
/// them after creation. `Grammar` and `HighlightQuery` are plainly `Sendable` through it.
struct ReadOnlyHandle: @unchecked Sendable {
    let pointer: OpaquePointer

    init(_ pointer: OpaquePointer) {
        self.pointer = pointer
    }
}
