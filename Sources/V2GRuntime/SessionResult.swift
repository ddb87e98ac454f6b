import Foundation
import V2GSession

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
    /// EVCC over TLS: from the connection's start to the TLS handshake's end.
    public var handshake: Duration?

    public init(role: Role, end: SessionEnd, messages: Int, duration: Duration, chargeLoopTurnarounds: [Duration], paused: PausedSession? = nil,
                handshake: Duration? = nil) {
        self.role = role; self.end = end; self.messages = messages; self.duration = duration
        self.chargeLoopTurnarounds = chargeLoopTurnarounds; self.paused = paused; self.handshake = handshake
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
