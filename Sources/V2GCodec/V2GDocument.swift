import EXI
import XMLDSig
import AppProtocol
import ISO20Common
import ISO20DC
import ISO20AC
import ISO20ACDP
import ISO20WPT

/// A decoded EXI document of any supported message set.
public enum V2GDocument: Sendable, Hashable {
    case sap(AppProtocolDocument)
    case common(CommonMessagesDocument)
    case dc(DCDocument)
    case ac(ACDocument)
    case wpt(WPTDocument)
    case acdp(ACDPDocument)
    case xmldsig(XMLDSigDocument)

    public var schema: MessageSchema {
        switch self {
        case .sap: return .sap
        case .common: return .common
        case .dc: return .dc
        case .ac: return .ac
        case .wpt: return .wpt
        case .acdp: return .acdp
        case .xmldsig: return .xmldsig
        }
    }

    /// The root element's name, e.g. `SessionSetupReq`.
    public var rootName: String {
        switch self {
        case .sap(let d): return d.rootName
        case .common(let d): return d.rootName
        case .dc(let d): return d.rootName
        case .ac(let d): return d.rootName
        case .wpt(let d): return d.rootName
        case .acdp(let d): return d.rootName
        case .xmldsig(let d): return d.rootName
        }
    }

    public static func decode(_ bytes: [UInt8], schema: MessageSchema) throws(EXIError) -> V2GDocument {
        switch schema {
        case .sap: return .sap(try AppProtocolDocument.decodeEXI(bytes))
        case .common: return .common(try CommonMessagesDocument.decodeEXI(bytes))
        case .dc: return .dc(try DCDocument.decodeEXI(bytes))
        case .ac: return .ac(try ACDocument.decodeEXI(bytes))
        case .wpt: return .wpt(try WPTDocument.decodeEXI(bytes))
        case .acdp: return .acdp(try ACDPDocument.decodeEXI(bytes))
        case .xmldsig: return .xmldsig(try XMLDSigDocument.decodeEXI(bytes))
        }
    }

    public func encode(options: EXIEncoder.Options = .default) throws(EXIError) -> [UInt8] {
        switch self {
        case .sap(let d): return try d.encodeEXI(options: options)
        case .common(let d): return try d.encodeEXI(options: options)
        case .dc(let d): return try d.encodeEXI(options: options)
        case .ac(let d): return try d.encodeEXI(options: options)
        case .wpt(let d): return try d.encodeEXI(options: options)
        case .acdp(let d): return try d.encodeEXI(options: options)
        case .xmldsig(let d): return try d.encodeEXI(options: options)
        }
    }
}
