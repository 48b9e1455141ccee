import Foundation

/// A pomodoro timer: 25 minutes of focus, 5 of rest, a long break after four rounds.
struct Pomodoro {
    enum Phase: Equatable {
        case focus(round: Int)
        case shortBreak
        case longBreak
    }

    var focusLength: TimeInterval = 25 * 60
    var shortBreakLength: TimeInterval = 5 * 60
    var longBreakLength: TimeInterval = 20 * 60
    var roundsBeforeLongBreak = 4

    private(set) var phase: Phase = .focus(round: 1)
    private(set) var remaining: TimeInterval = 25 * 60

    /// Advances the clock; moves to the next phase when the current one runs out.
    mutating func tick(_ elapsed: TimeInterval) {
        remaining -= elapsed
        guard remaining <= 0 else { return }
        switch phase {
        case .focus(let round) where round % roundsBeforeLongBreak == 0:
            phase = .longBreak
            remaining = longBreakLength
        case .focus:
            phase = .shortBreak
            remaining = shortBreakLength
        case .shortBreak, .longBreak:
            let nextRound = completedRounds + 1
            phase = .focus(round: nextRound)
            remaining = focusLength
        }
    }

    private var completedRounds = 0
}

extension Pomodoro.Phase: CustomStringConvertible {
    var description: String {
        switch self {
        case .focus(let round): return "Focus (round \(round))"
        case .shortBreak: return "Short break"
        case .longBreak: return "Long break"
        }
    }
}
