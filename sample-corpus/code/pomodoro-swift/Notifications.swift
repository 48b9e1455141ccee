import Foundation

/// Sends a desktop notification when a phase ends, through `notify-send` on Linux.
enum PhaseNotifier {
    static func notify(title: String, body: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/notify-send")
        process.arguments = [title, body]
        do {
            try process.run()
        } catch {
            // No notification daemon: print instead of failing the timer.
            print("\(title): \(body)")
        }
    }
}
