import AppProtocol
import EXI
import ISO20Common
import V2GCodec
import V2GTP

// `V2GMessage` and `MessageKind` themselves are generated (Generated/V2GMessageSets.swift): one
// case per message set. What is the same for every set is here.

/// What the EVCC sends and the SECC receives.
public typealias V2GRequest = V2GMessage<SupportedAppProtocolReq>
/// What the SECC sends and the EVCC receives.
public typealias V2GResponse = V2GMessage<SupportedAppProtocolRes>

extension V2GMessage {
    /// The message as a document of the codec facade (encoding, JSON, names).
    public var document: V2GDocument { content.document }
    /// Which message this is; nil for a document of a -20 set that is not a request or a response.
    public var kind: MessageKind? { content.kind }
    /// The root element's name, e.g. `DC_ChargeLoopReq`.
    public var name: String { document.rootName }
    /// The -20 header (nil for supportedAppProtocol).
    public var header: MessageHeaderType? { content.header }
    /// The response code of a -20 response.
    public var responseCode: ISO20Common.ResponseCodeType? { content.responseCode }

    /// The message with `change` applied to its header (supportedAppProtocol, which has none, as it is).
    public func withHeader(_ change: (inout MessageHeaderType) -> Void) -> Self {
        guard let iso20 = content as? any ISO20MessageDocument, var header = iso20.header else { return self }
        change(&header)
        return iso20.withHeader(header).asV2GMessage()
    }

    /// The V2GTP frame on the main stream: the payload type names the message set (PROTOCOL-NOTES §2).
    public func frame() throws(EXIError) -> V2GTPFrame {
        let document = self.document
        return V2GTPFrame(payloadType: document.schema.mainStreamPayloadType.rawValue, payload: try document.encode())
    }

    /// Decodes a main-stream frame with the message set its payload type names.
    public init(frame: V2GTPFrame) throws(MessageDecodingError) {
        guard let type = V2GTPPayloadType(rawValue: frame.payloadType), let schema = MessageSchema(v2gtpPayloadType: type),
              schema.mainStreamPayloadType == type else {
            throw .payloadType(frame.payloadType)
        }
        let document: V2GDocument
        do { document = try V2GDocument.decode(frame.payload, schema: schema) } catch {
            throw .exi(error, meant: MessageKind(peeking: frame.payload, schema: schema))
        }
        guard let message = Self(document) else { throw .wrongDirection(document.rootName) }
        self = message
    }
}

/// A message of either direction: what the engine reads of it, whatever its set.
public protocol V2GMessageContent: Sendable {
    var document: V2GDocument { get }
    var kind: MessageKind? { get }
    var header: MessageHeaderType? { get }
    var responseCode: ISO20Common.ResponseCodeType? { get }
}

/// The generated document of a -20 message set (its members come from `…Document+Messages.swift`).
public protocol ISO20MessageDocument: V2GMessageContent {
    func withHeader(_ header: MessageHeaderType) -> Self
    func asV2GMessage<SAP>() -> V2GMessage<SAP>
}

/// The generated `Message` enum of a -20 message set.
public protocol ISO20MessageName: Sendable {
    var rawValue: String { get }
    var isRequest: Bool { get }
    func failedResponse(code: ISO20Common.ResponseCodeType, header: MessageHeaderType) -> V2GResponse?
}

/// supportedAppProtocolReq or supportedAppProtocolRes, the one message of the AppProtocol set a direction carries.
public protocol SupportedAppProtocolMessage: V2GMessageContent, Hashable {
    static var isRequest: Bool { get }
    var appProtocolDocument: AppProtocolDocument { get }
    init?(_ document: AppProtocolDocument)
}

extension SupportedAppProtocolMessage {
    public var document: V2GDocument { .sap(appProtocolDocument) }
    public var kind: MessageKind? { .supportedAppProtocol }
    public var header: MessageHeaderType? { nil }
    public var responseCode: ISO20Common.ResponseCodeType? { nil }
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

    public var description: String {
        switch self {
        case .payloadType(let t): return "payload type 0x\(String(t, radix: 16)) does not carry a main-stream message"
        case .exi(let e, let meant): return "\(meant.map { "\($0): " } ?? "")\(e)"
        case .wrongDirection(let name): return "\(name) travels the other way"
        }
    }
}
