import EXI
import V2GTP

extension V2GDocument {
    /// Decodes a whole V2GTP frame. A main stream's payload type names the message set; a side
    /// stream's frame is decoded with the set under which its root is a message the stream
    /// carries (`SideStreamMessages`), and any other root is `SideStreamMessages.NotCarried`.
    public static func decode(v2gtpFrame bytes: [UInt8], maximumPayload: UInt32 = 1 << 20) throws -> (UInt16, V2GDocument) {
        let frame = try V2GTPFrame(parsing: bytes, maximumPayload: maximumPayload)
        guard let type = V2GTPPayloadType(rawValue: frame.payloadType) else { throw V2GTPError.unknownPayloadType(frame.payloadType) }
        if let schema = MessageSchema(v2gtpPayloadType: type) {
            return (frame.payloadType, try decode(frame.payload, schema: schema))
        }
        guard !SideStreamMessages.schemas(on: type).isEmpty else { throw V2GTPError.unknownPayloadType(frame.payloadType) }
        let (schema, root) = SideStreamMessages.resolve(frame.payload, on: type)
        guard let schema else { throw SideStreamMessages.NotCarried(payloadType: frame.payloadType, root: root) }
        return (frame.payloadType, try decode(frame.payload, schema: schema))
    }
}

extension SideStreamMessages {
    /// A side-stream frame whose root is no message the stream carries (nil: no root readable).
    public struct NotCarried: Error, Sendable, Hashable, CustomStringConvertible {
        public var payloadType: UInt16
        public var root: String?
        public var description: String {
            "the side stream 0x\(String(payloadType, radix: 16)) does not carry \(root ?? "an undecodable message")"
        }
    }
}
