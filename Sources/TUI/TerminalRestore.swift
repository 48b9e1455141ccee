import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Puts the terminal back (cooked mode, visible cursor, main screen) when qwery is killed or
/// crashes: only async-signal-safe calls (tcsetattr, write) run in the handler.
enum TerminalRestore {
    nonisolated(unsafe) private static var savedState = termios()
    nonisolated(unsafe) private static var saved = false

    static func saveTerminalState() {
        if tcgetattr(STDIN_FILENO, &savedState) == 0 { saved = true }
    }

    static func installSignalHandlers() {
        for signalNumber in [SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP] {
            signal(signalNumber) { received in
                TerminalRestore.restore()
                signal(received, SIG_DFL)
                raise(received)
            }
        }
    }

    /// Resets the terminal; safe to call from a signal handler.
    static func restore() {
        if saved { tcsetattr(STDIN_FILENO, TCSANOW, &savedState) }
        let reset = "\u{1B}[?1000l\u{1B}[?1002l\u{1B}[?1006l\u{1B}[0m\u{1B}[?25h\u{1B}[?1049l\r\n"
        reset.utf8CString.withUnsafeBufferPointer { buffer in
            _ = write(STDOUT_FILENO, buffer.baseAddress, buffer.count - 1)
        }
    }
}
