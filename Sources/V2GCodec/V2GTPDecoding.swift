import EXI
import V2GTP

extension V2GDocument {
    /// Decodes a whole V2GTP frame; the payload type picks the message set. The schedule
    /// renegotiation side stream (0x8101) may carry DC, AC or CommonMessages documents; the set is
    /// the first whose grammar decodes the whole payload, tried in that order.
    public static func decode(v2gtpFrame bytes: [UInt8], maximumPayload: UInt32 = 1 << 20) throws -> (UInt16, V2GDocument) {
        let frame = try V2GTPFrame(parsing: bytes, maximumPayload: maximumPayload)
        if let type = V2GTPPayloadType(rawValue: frame.payloadType), let schema = MessageSchema(v2gtpPayloadType: type) {
            return (frame.payloadType, try decode(frame.payload, schema: schema))
        }
        if frame.payloadType == V2GTPPayloadType.scheduleRenegotiation.rawValue {
            var firstError: EXIError?
            for schema in [MessageSchema.dc, .ac, .common] {
                do { return (frame.payloadType, try decode(frame.payload, schema: schema)) } catch { firstError = firstError ?? error }
            }
            throw firstError ?? EXIError(.unsupported, "no message set decodes this payload")
        }
        throw V2GTPError.unknownPayloadType(frame.payloadType)
    }
}
