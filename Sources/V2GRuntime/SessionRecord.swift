import Logging
import NIOCore
import V2GSession
import V2GTP

/// What a connection measures for its `SessionResult`, and the one time it reports it.
struct SessionRecord {
    let role: SessionResult.Role
    let started = ContinuousClock.now
    var messages = 0
    /// Charge loop turnarounds (see `SessionResult.chargeLoopTurnarounds`).
    var turnarounds: [Duration] = []
    /// When the TLS handshake ended, from `started` (EVCC).
    var handshake: Duration?
    private(set) var reported = false

    init(role: SessionResult.Role) { self.role = role }

    /// The session's result, the first time only (a connection can end in several ways at once).
    mutating func report(_ end: SessionEnd, paused: PausedSession?) -> SessionResult? {
        guard !reported else { return nil }
        reported = true
        return SessionResult(role: role, end: end, messages: messages, duration: ContinuousClock.now - started,
                             chargeLoopTurnarounds: turnarounds, paused: paused, handshake: handshake)
    }

    /// Writes `message` as a V2GTP frame and counts it; one that does not encode is logged and dropped.
    mutating func send<SAP>(_ message: V2GMessage<SAP>, on context: ChannelHandlerContext, stream: V2GStream = .main, logger: Logger) {
        do {
            let frame = try message.frame(on: stream)
            messages += 1
            let side = if case .side(let s) = stream { " [\(s.rawValue) side stream]" } else { "" }
            logger.info("→ \(message.name)\(message.chargeLoopSummary.map { " (\($0))" } ?? "")\(side)")
            context.writeAndFlush(NIOAny(frame), promise: nil)
        } catch {
            logger.error("cannot encode \(message.name): \(error)")
        }
    }

    /// Counts a received frame and logs what its root names.
    mutating func received(_ frame: V2GTPFrame, request: Bool, logger: Logger) -> MessageKind? {
        messages += 1
        let kind = MessageKind(peeking: frame)
        let side = SideStream(payloadType: frame.payloadType).map { " [\($0.rawValue) side stream]" } ?? ""
        logger.info("← \(kind?.rootName(request: request) ?? "payload type 0x\(String(frame.payloadType, radix: 16))")\(side)")
        return kind
    }
}
