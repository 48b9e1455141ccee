extension StringProtocol {
    /// The text's lines as the index numbers them: split at every line feed — "\n", and "\r\n", which Swift
    /// keeps as one Character (so splitting at "\n" alone leaves a Windows file one long line) — without
    /// their terminators. "a\nb\n" gives ["a", "b", ""], like `split(separator:omittingEmptySubsequences: false)`.
    package func splitLines() -> [String] {
        let isLineFeed: (Character) -> Bool = { $0 == "\n" || $0 == "\r\n" }
        return self.split(maxSplits: Int.max, omittingEmptySubsequences: false, whereSeparator: isLineFeed).map { String($0) }
    }
}
