import ISO20Common
import V2GCodec
import V2GTP

// The cases of `MessageKind` are generated (Generated/V2GMessageSets.swift), one per message set.
extension MessageKind: CustomStringConvertible {
    /// The root element's name (`supportedAppProtocol` for both of its messages).
    public var description: String { name?.rawValue ?? "supportedAppProtocol" }

    /// The root element's name; supportedAppProtocol's depends on the direction.
    public func rootName(request: Bool) -> String {
        self == .supportedAppProtocol ? (request ? "supportedAppProtocolReq" : "supportedAppProtocolRes") : description
    }

    /// A request (supportedAppProtocol counts as one).
    public var isRequest: Bool { name?.isRequest ?? true }

    /// A charge loop request or response of any energy service (`AC_ChargeLoopReq`, `DC_ChargeLoopRes`, …):
    /// the exchange the standard times most tightly.
    public var isChargeLoop: Bool { description.hasSuffix("_ChargeLoopReq") || description.hasSuffix("_ChargeLoopRes") }

    /// The FAILED form of the response to this request ([V2G20-736]): `code`, `header`, and the
    /// least schema-valid value in every other mandatory field. Nil for supportedAppProtocol.
    public func failedResponse(code: ISO20Common.ResponseCodeType, header: MessageHeaderType) -> V2GResponse? {
        name?.failedResponse(code: code, header: header)
    }
}

extension MessageKind {
    /// Whether `response` is the answer to this request: `…Req` answered by `…Res` of the same set.
    public func isAnswered(by response: MessageKind) -> Bool {
        if self == .supportedAppProtocol { return response == .supportedAppProtocol }
        return isRequest && !response.isRequest && description.dropLast(3) == response.description.dropLast(3)
            && name.map { type(of: $0) } == response.name.map { type(of: $0) }
    }
}

extension MessageKind {
    /// The message a main-stream frame holds, from its payload type and root event code alone
    /// (no full decode): for logs and measurements beside the engine.
    public init?(peeking frame: V2GTPFrame) {
        guard let type = V2GTPPayloadType(rawValue: frame.payloadType), let schema = MessageSchema(v2gtpPayloadType: type) else { return nil }
        self.init(peeking: frame.payload, schema: schema)
    }
}
