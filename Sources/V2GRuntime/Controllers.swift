import Foundation
import V2GSession

/// The charger's hardware as the SECC runtime sees it: power electronics, isolation monitor,
/// meter, authorization. Called on the connection's event loop; must not block.
public protocol EVSEController: AnyObject, Sendable {
    /// What the charger reports now.
    func inputs(timestamp: UInt64) -> EVSEInputs
    /// Carry out a command of the state machine: cable check, pre-charge, contactors, charge
    /// target, end of session (open contactors: the safe state).
    func handle(_ action: SECCAction)
}

/// The vehicle as the EVCC runtime sees it: battery management and power path.
public protocol EVController: AnyObject, Sendable {
    func inputs(timestamp: UInt64) -> EVInputs
    func handle(_ action: EVCCAction)
}

/// How a session went: the structured result the runtimes report.
public struct SessionResult: Sendable, CustomStringConvertible {
    public enum Role: String, Sendable { case secc = "SECC", evcc = "EVCC" }
    public var role: Role
    public var end: SessionEnd
    /// Requests and responses exchanged.
    public var messages: Int
    public var duration: Duration
    /// Charge loop turnarounds: SECC, request in to response out; EVCC, request out to response in.
    public var chargeLoopTurnarounds: [Duration]
    /// Ended by SessionStop(Pause): what a resume needs (`EVCCConfiguration.resume`).
    public var paused: PausedSession?

    public init(role: Role, end: SessionEnd, messages: Int, duration: Duration, chargeLoopTurnarounds: [Duration], paused: PausedSession? = nil) {
        self.role = role; self.end = end; self.messages = messages; self.duration = duration
        self.chargeLoopTurnarounds = chargeLoopTurnarounds; self.paused = paused
    }

    public var medianChargeLoopTurnaround: Duration? {
        guard !chargeLoopTurnarounds.isEmpty else { return nil }
        return chargeLoopTurnarounds.sorted()[chargeLoopTurnarounds.count / 2]
    }

    public var worstChargeLoopTurnaround: Duration? { chargeLoopTurnarounds.max() }

    public var description: String {
        var s = "\(role.rawValue) session ended (\(end)) after \(messages) messages in \(duration)"
        if let m = medianChargeLoopTurnaround, let w = worstChargeLoopTurnaround {
            s += "; charge loop turnaround median \(m), worst \(w) over \(chargeLoopTurnarounds.count)"
        }
        return s
    }
}

/// Seconds since the Unix epoch, for message headers.
func unixTime() -> UInt64 { UInt64(max(0, Date().timeIntervalSince1970)) }

import NIOCore

extension TimeAmount {
    /// A Swift `Duration` as a NIO time amount (nanosecond resolution).
    init(_ d: Duration) {
        let (seconds, attoseconds) = d.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
