import ISO20Common
import V2GCodec
import V2GTP

// The cases of `MessageKind` and its facts (name, request or response, charge loop, FAILED form)
// are generated (Generated/V2GMessageSets.swift).
extension MessageKind: CustomStringConvertible {
    /// The root element's name; supportedAppProtocol's depends on the direction.
    public func rootName(request: Bool) -> String {
        self == .supportedAppProtocol ? (request ? "supportedAppProtocolReq" : "supportedAppProtocolRes") : description
    }
}

extension MessageKind {
    /// Whether `response` is the answer to this request: `…Req` answered by `…Res` of the same set.
    public func isAnswered(by response: MessageKind) -> Bool {
        isRequest && response == counterpart
    }
}

extension MessageKind {
    /// The message a main-stream frame holds, from its payload type and root event code alone
    /// (no full decode): for logs and measurements beside the engine.
    public init?(peeking frame: V2GTPFrame) {
        if let side = SideStream(payloadType: frame.payloadType) {
            // The set under which the root names a message the stream carries (`SideStreamMessages`).
            guard let schema = SideStreamMessages.resolve(frame.payload, on: side.payloadType).schema else { return nil }
            self.init(peeking: frame.payload, schema: schema)
            return
        }
        guard let type = V2GTPPayloadType(rawValue: frame.payloadType), let schema = MessageSchema(v2gtpPayloadType: type) else { return nil }
        self.init(peeking: frame.payload, schema: schema)
    }
}
