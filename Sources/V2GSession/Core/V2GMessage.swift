import AppProtocol
import EXI
import ISO20Common
import V2GCodec
import V2GTP

// `V2GMessage` and `MessageKind` themselves are generated (Generated/V2GMessageSets.swift): one
// case per message set, one switch per fact. What is the same for every set is here.

/// What the EVCC sends and the SECC receives.
public typealias V2GRequest = V2GMessage<SupportedAppProtocolReq>
/// What the SECC sends and the EVCC receives.
public typealias V2GResponse = V2GMessage<SupportedAppProtocolRes>

extension V2GMessage {
    /// Decodes a main-stream frame with the message set its payload type names (`MessageSchema`
    /// holds the one table of payload types).
    public init(frame: V2GTPFrame) throws(MessageDecodingError) {
        guard let type = V2GTPPayloadType(rawValue: frame.payloadType), let schema = MessageSchema(v2gtpPayloadType: type),
              schema.mainStreamPayloadType == type else {
            throw .payloadType(frame.payloadType)
        }
        let decoded: Self?
        do { decoded = try Self.decode(frame.payload, schema: schema) } catch {
            throw .exi(error, meant: MessageKind(peeking: frame.payload, schema: schema))
        }
        guard let decoded, decoded.kind.map({ $0 == .supportedAppProtocol || $0.isRequest == SAP.isRequest }) ?? true else {
            throw .wrongDirection(MessageKind(peeking: frame.payload, schema: schema).map { "\($0)" } ?? "the message")
        }
        self = decoded
    }
}

/// supportedAppProtocolReq or supportedAppProtocolRes, the one message of the AppProtocol set a direction carries.
public protocol SupportedAppProtocolMessage: Sendable, Hashable {
    static var isRequest: Bool { get }
    var appProtocolDocument: AppProtocolDocument { get }
    init?(_ document: AppProtocolDocument)
}

extension SupportedAppProtocolReq: SupportedAppProtocolMessage {
    public static var isRequest: Bool { true }
    public var appProtocolDocument: AppProtocolDocument { .supportedAppProtocolReq(self) }
    public init?(_ document: AppProtocolDocument) {
        guard case .supportedAppProtocolReq(let m) = document else { return nil }
        self = m
    }
}

extension SupportedAppProtocolRes: SupportedAppProtocolMessage {
    public static var isRequest: Bool { false }
    public var appProtocolDocument: AppProtocolDocument { .supportedAppProtocolRes(self) }
    public init?(_ document: AppProtocolDocument) {
        guard case .supportedAppProtocolRes(let m) = document else { return nil }
        self = m
    }
}

/// Why a frame on the main stream is not a message the receiver can act on.
public enum MessageDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Not a main-stream payload type (SDP, a side stream, or unknown).
    case payloadType(UInt16)
    /// The EXI does not decode; `meant` is the message its root event code names, when it does.
    case exi(EXIError, meant: MessageKind?)
    /// A request where a response was due, or the other way round.
    case wrongDirection(String)
    /// A side stream (payload type) with a message it does not carry (`SideStream.carries`).
    case notCarried(UInt16, String)

    public var description: String {
        switch self {
        case .payloadType(let t): return "payload type 0x\(String(t, radix: 16)) does not carry a main-stream message"
        case .exi(let e, let meant): return "\(meant.map { "\($0): " } ?? "")\(e)"
        case .wrongDirection(let name): return "\(name) travels the other way"
        case .notCarried(let t, let name): return "side stream 0x\(String(t, radix: 16)) does not carry \(name)"
        }
    }
}
