import AppProtocol
import EXI
import ISO20Common
import ISO20DC
import V2GSession
import V2GTP

/// Messages on the wire: EXI documents in V2GTP frames whose payload type names the message set.
enum MessageWire {
    static func frame(_ r: SECCResponse) throws(EXIError) -> V2GTPFrame {
        switch r {
        case .supportedAppProtocol(let m):
            return V2GTPFrame(payloadType: V2GTPPayloadType.sap.rawValue, payload: try AppProtocolDocument.supportedAppProtocolRes(m).encodeEXI())
        case .common(let d): return V2GTPFrame(payloadType: V2GTPPayloadType.mainStreamCommon.rawValue, payload: try d.encodeEXI())
        case .dc(let d): return V2GTPFrame(payloadType: V2GTPPayloadType.mainStreamDC.rawValue, payload: try d.encodeEXI())
        }
    }

    static func frame(_ r: SECCRequest) throws(EXIError) -> V2GTPFrame {
        switch r {
        case .supportedAppProtocol(let m):
            return V2GTPFrame(payloadType: V2GTPPayloadType.sap.rawValue, payload: try AppProtocolDocument.supportedAppProtocolReq(m).encodeEXI())
        case .common(let d): return V2GTPFrame(payloadType: V2GTPPayloadType.mainStreamCommon.rawValue, payload: try d.encodeEXI())
        case .dc(let d): return V2GTPFrame(payloadType: V2GTPPayloadType.mainStreamDC.rawValue, payload: try d.encodeEXI())
        }
    }

    enum WireError: Error, CustomStringConvertible {
        case payloadType(UInt16)
        case notARequest(String)
        case notAResponse(String)
        var description: String {
            switch self {
            case .payloadType(let t): return "payload type 0x\(String(t, radix: 16)) is not used in a DC session"
            case .notARequest(let n): return "\(n) is not a request"
            case .notAResponse(let n): return "\(n) is not a response"
            }
        }
    }

    static func request(_ f: V2GTPFrame) throws -> SECCRequest {
        switch f.payloadType {
        case V2GTPPayloadType.sap.rawValue:
            guard case .supportedAppProtocolReq(let m) = try AppProtocolDocument.decodeEXI(f.payload) else { throw WireError.notARequest("supportedAppProtocolRes") }
            return .supportedAppProtocol(m)
        case V2GTPPayloadType.mainStreamCommon.rawValue: return .common(try CommonMessagesDocument.decodeEXI(f.payload))
        case V2GTPPayloadType.mainStreamDC.rawValue: return .dc(try DCDocument.decodeEXI(f.payload))
        default: throw WireError.payloadType(f.payloadType)
        }
    }

    static func response(_ f: V2GTPFrame) throws -> SECCResponse {
        switch f.payloadType {
        case V2GTPPayloadType.sap.rawValue:
            guard case .supportedAppProtocolRes(let m) = try AppProtocolDocument.decodeEXI(f.payload) else { throw WireError.notAResponse("supportedAppProtocolReq") }
            return .supportedAppProtocol(m)
        case V2GTPPayloadType.mainStreamCommon.rawValue: return .common(try CommonMessagesDocument.decodeEXI(f.payload))
        case V2GTPPayloadType.mainStreamDC.rawValue: return .dc(try DCDocument.decodeEXI(f.payload))
        default: throw WireError.payloadType(f.payloadType)
        }
    }

    /// The message's root element name, for logs.
    static func name(_ r: SECCRequest) -> String {
        switch r {
        case .supportedAppProtocol: return "supportedAppProtocolReq"
        case .common(let d): return d.rootName
        case .dc(let d): return d.rootName
        }
    }

    static func name(_ r: SECCResponse) -> String {
        switch r {
        case .supportedAppProtocol: return "supportedAppProtocolRes"
        case .common(let d): return d.rootName
        case .dc(let d): return d.rootName
        }
    }
}
