import Documents

/// The `[documents]` table of the config: extraction caps (each key overrides one default) and the PDF viewer.
package enum DocumentSettings {
    /// Keys and the values each accepts.
    package static let ranges: [String: ClosedRange<Int>] = [
        "max_expanded_mb": 1...65536,
        "max_compression_ratio": 10...100_000,
        "max_pages": 1...1_000_000,
        "timeout_seconds": 1...3600,
        "memory_mb": 256...65536,
        "max_text_mb": 1...4096,
        "max_file_mb": 1...65536,
    ]

    /// The largest document file indexed (`max_file_mb`, 256 MB by default).
    package static func maximumDocumentSize(_ config: ConfigFile) -> Int64 {
        Int64(config.documents["max_file_mb"] ?? 256) << 20
    }

    /// The caps in force: the defaults, with the config's values over them.
    package static func limits(_ config: ConfigFile) -> ExtractionLimits {
        var limits = ExtractionLimits()
        let documents = config.documents
        if let value = documents["max_expanded_mb"] { limits.maximumExpandedBytes = Int64(value) << 20 }
        if let value = documents["max_compression_ratio"] { limits.maximumCompressionRatio = value }
        if let value = documents["max_pages"] { limits.maximumPages = value }
        if let value = documents["timeout_seconds"] { limits.timeoutSeconds = value }
        if let value = documents["memory_mb"] { limits.memoryMegabytes = value }
        if let value = documents["max_text_mb"] { limits.maximumTextBytes = value << 20 }
        return limits
    }

    /// (key, value in force) for `qwery config`, in a stable order.
    package static func rows(_ config: ConfigFile) -> [(key: String, value: Int, configured: Bool)] {
        let limits = limits(config)
        let values: [(String, Int)] = [
            ("max_expanded_mb", Int(limits.maximumExpandedBytes >> 20)), ("max_compression_ratio", limits.maximumCompressionRatio),
            ("max_pages", limits.maximumPages), ("timeout_seconds", limits.timeoutSeconds), ("memory_mb", limits.memoryMegabytes),
            ("max_text_mb", limits.maximumTextBytes >> 20), ("max_file_mb", Int(maximumDocumentSize(config) >> 20)),
        ]
        return values.map { ($0.0, $0.1, config.documents[$0.0] != nil) }
    }
}
