import ISO20Common

/// Why a session ended.
public struct SessionEnd: Sendable, Hashable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable {
        /// SessionStop(Terminate) from the EV.
        case terminated
        /// SessionStop(Pause) from the EV: the SessionID stays valid for a resume.
        case paused
        /// A FAILED response code ended it (any FAILED* is fatal for both sides).
        case failed(ISO20Common.ResponseCodeType)
        /// supportedAppProtocol found no common protocol.
        case noCommonProtocol
        /// V2G_SECC_Sequence_Timeout expired waiting for the next request.
        case sequenceTimeout
        /// The connection closed without SessionStop.
        case connectionLost
        /// A request the codec could not decode, or one the SECC does not answer.
        case malformedRequest
        /// A response that does not decode or does not answer the request sent (EVCC side).
        case unexpectedResponse
        /// V2G_EVCC_Msg_Timeout expired waiting for a response (EVCC side).
        case responseTimeout
        /// V2G_EVCC_Ongoing/CableCheck/PreCharge/CommunicationSetup_Timeout expired (EVCC side).
        case phaseTimeout
        /// The charger offers no service (or no control mode) the EV can use: the EV ended the
        /// session with SessionStop(Terminate) (EVCC side).
        case noUsableService
        /// The SECC refused authorization with this WARNING and the EV had no other way: it ended
        /// the session with SessionStop(Terminate) (EVCC side).
        case notAuthorized(ISO20Common.ResponseCodeType)
        /// This side's process shut down (SIGTERM, SIGINT): power off first, the session ended
        /// in order as far as the peer and the time allowed.
        case shutdown
    }

    public var reason: Reason
    public var detail: String

    public init(reason: Reason, detail: String) { self.reason = reason; self.detail = detail }

    public var description: String { "\(reason): \(detail)" }
}
