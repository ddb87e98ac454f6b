import EXI
import V2GCodec
import V2GTP

/// The side streams of ISO 15118-20 (PROTOCOL-NOTES §2): V2GTP payload types 0x8101–0x8104 on the
/// same TCP (TLS) connection as the main stream. Each carries its own request and response, beside
/// the main stream's sequence and independent of it; a response goes back on the stream of its
/// request. What each carries is the codec's one table, `SideStreamMessages`.
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

    /// The requests the stream carries, by root element name, each with its response: the
    /// codec's table (`SideStreamMessages`), which says where it comes from.
    public var requests: Set<String> { SideStreamMessages.requests(on: payloadType) }

    /// Whether the stream carries `kind`, a request or the response to one.
    public func carries(_ kind: MessageKind) -> Bool {
        SideStreamMessages.carries(kind.description, on: payloadType)
    }

    /// The message sets a frame of this stream may be encoded with (`SideStreamMessages.schemas`).
    public var schemas: [MessageSchema] { SideStreamMessages.schemas(on: payloadType) }

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
        let (found, root) = SideStreamMessages.resolve(frame.payload, on: stream.payloadType)
        guard let schema = found, let kind = MessageKind(peeking: frame.payload, schema: schema) else {
            throw .notCarried(stream.payloadType.rawValue, root ?? "an undecodable message")
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
