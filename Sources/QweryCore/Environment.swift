import Foundation

/// The process environment as qwery reads it: a variable set to the empty string counts as unset,
/// as shells mean it (`QWERY_MODEL= qwery …`).
package enum Environment {
    package static func value(_ key: String) -> String? {
        ProcessInfo.processInfo.environment[key].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// An XDG base folder: the variable when set, else `~/<fallback>`.
    package static func folder(_ key: String, fallback: String) -> String {
        value(key) ?? (NSHomeDirectory() + "/" + fallback)
    }
}
