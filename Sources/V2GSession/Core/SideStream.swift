import EXI
import V2GCodec
import V2GTP

/// The side streams of ISO 15118-20 (PROTOCOL-NOTES §2): V2GTP payload types 0x8101–0x8104 on the
/// same TCP (TLS) connection as the main stream. Each carries its own request and response, beside
/// the main stream's sequence and independent of it; a response goes back on the stream of its
/// request. The standard's table of which messages each stream may carry is not public; what
/// each carries here follows dsV2Gshark's dissector (the one public reference) and the message
/// names, and is written down in `carries`.
public enum SideStream: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// 0x8101: the schedule renegotiated while the charge loop goes on.
    case scheduleRenegotiation
    /// 0x8102: MeteringConfirmation while the charge loop goes on.
    case meteringConfirmation
    /// 0x8103: ACDP system status (the ACDP energy service's).
    case acdpSystemStatus
    /// 0x8104: parking status (VehicleCheckIn/VehicleCheckOut of the ParkingStatus service).
    case parkingStatus

    public var payloadType: V2GTPPayloadType {
        switch self {
        case .scheduleRenegotiation: return .scheduleRenegotiation
        case .meteringConfirmation: return .meteringConfirmation
        case .acdpSystemStatus: return .acdpSystemStatus
        case .parkingStatus: return .parkingStatus
        }
    }

    public init?(payloadType: UInt16) {
        guard let s = Self.allCases.first(where: { $0.payloadType.rawValue == payloadType }) else { return nil }
        self = s
    }

    /// The requests (and their responses) the stream carries. Schedule renegotiation: the ten
    /// messages dsV2Gshark names for it ("only ten different V2G messages are permitted in this
    /// side stream"): PowerDelivery, ScheduleExchange and the energy services'
    /// ChargeParameterDiscovery. The others: the one exchange their names say.
    public var requests: Set<MessageKind> {
        switch self {
        case .scheduleRenegotiation:
            return [.common(.powerDeliveryReq), .common(.scheduleExchangeReq), .dc(.dc_ChargeParameterDiscoveryReq),
                    .ac(.ac_ChargeParameterDiscoveryReq), .wpt(.wpt_ChargeParameterDiscoveryReq)]
        case .meteringConfirmation: return [.common(.meteringConfirmationReq)]
        case .acdpSystemStatus: return [.acdp(.acdp_SystemStatusReq)]
        case .parkingStatus: return [.common(.vehicleCheckInReq), .common(.vehicleCheckOutReq)]
        }
    }

    /// Whether the stream carries `kind`, a request or the response to one.
    public func carries(_ kind: MessageKind) -> Bool {
        requests.contains(kind) || kind.counterpart.map(requests.contains) == true
    }

    /// The message sets a frame of this stream may be encoded with. Schedule renegotiation mixes
    /// CommonMessages with the energy services' sets, so the receiver takes the set under which
    /// the frame's root event code names a message the stream carries (dsV2Gshark does the same
    /// with the root codes); those codes differ between the sets for every message the stream
    /// carries (a test checks it), so the choice is unambiguous.
    public var schemas: [MessageSchema] {
        switch self {
        case .scheduleRenegotiation: return [.common, .dc, .ac, .wpt]
        case .meteringConfirmation, .parkingStatus: return [.common]
        case .acdpSystemStatus: return [.acdp]
        }
    }

    public var description: String { "\(rawValue) side stream (0x\(String(payloadType.rawValue, radix: 16)))" }
}

/// Where a frame travels: the main stream or a side stream.
public enum V2GStream: Sendable, Hashable, CustomStringConvertible {
    case main
    case side(SideStream)

    public var description: String {
        switch self {
        case .main: return "main stream"
        case .side(let s): return s.description
        }
    }
}

extension V2GMessage {
    /// Decodes a frame of any stream: main-stream payload types by their set, side-stream ones by
    /// the set under which the root names a message the stream carries. A message the stream
    /// does not carry is `MessageDecodingError.notCarried`.
    public init(anyStream frame: V2GTPFrame) throws(MessageDecodingError) {
        guard let stream = SideStream(payloadType: frame.payloadType) else {
            try self.init(frame: frame)
            return
        }
        let candidates = stream.schemas.compactMap { schema in MessageKind(peeking: frame.payload, schema: schema).map { (schema, $0) } }
        guard let (schema, kind) = candidates.first(where: { stream.carries($0.1) }) else {
            throw .notCarried(stream.payloadType.rawValue, candidates.first.map { "\($0.1)" } ?? "an undecodable message")
        }
        let decoded: Self?
        do { decoded = try Self.decode(frame.payload, schema: schema) } catch {
            throw .exi(error, meant: kind)
        }
        guard let decoded, decoded.kind.map({ $0.isRequest == SAP.isRequest }) ?? false else {
            throw .wrongDirection("\(kind)")
        }
        self = decoded
    }

    /// The V2GTP frame on `stream`: the main stream's payload type names the message set; a side
    /// stream's names the stream.
    public func frame(on stream: V2GStream) throws(EXIError) -> V2GTPFrame {
        var frame = try frame()
        if case .side(let side) = stream { frame = V2GTPFrame(payloadType: side.payloadType.rawValue, payload: frame.payload) }
        return frame
    }

    /// The stream a frame's payload type names (nil: not an EXI stream of -20).
    public static func stream(of frame: V2GTPFrame) -> V2GStream? {
        if let side = SideStream(payloadType: frame.payloadType) { return .side(side) }
        guard let type = V2GTPPayloadType(rawValue: frame.payloadType), let schema = MessageSchema(v2gtpPayloadType: type),
              schema.mainStreamPayloadType == type else { return nil }
        return .main
    }
}
