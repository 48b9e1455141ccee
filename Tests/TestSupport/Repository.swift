import Foundation

/// Where the repository's committed files are, for every test target: found once from this file's path.
public enum Repository {
    /// The repository's root folder.
    public static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// `Tests/Fixtures`: the committed fixtures and the scripts that made them.
    public static let fixtures = root + "/Tests/Fixtures"

    /// A path under `Tests/Fixtures` (`models/tiny-embedding`, `documents`, `tokenizer/qwen3-tokenizer.json`).
    public static func fixture(_ relative: String) -> String { fixtures + "/" + relative }
}
