/// The EXI schema sets ("message sets") of ISO 15118-20 and the SAP handshake. Each one is a
/// separate grammar: the same bytes mean different messages under different sets.
public enum MessageSchema: String, CaseIterable, Sendable {
    /// supportedAppProtocol (V2G_CI_AppProtocol.xsd).
    case sap
    /// CommonMessages + CommonTypes + xmldsig.
    case common
    /// DC + CommonTypes + xmldsig.
    case dc
    /// AC + CommonTypes + xmldsig.
    case ac
    /// WPT + CommonTypes + xmldsig (wireless power transfer).
    case wpt
    /// ACDP + CommonTypes + xmldsig (automated connection device, pantograph).
    case acdp
    /// xmldsig-core-schema.xsd alone (the grammar SignedInfo is signed with).
    case xmldsig

    /// The XSD target namespace that names the set.
    public var namespace: String {
        switch self {
        case .sap: return "urn:iso:15118:2:2010:AppProtocol"
        case .common: return "urn:iso:std:iso:15118:-20:CommonMessages"
        case .dc: return "urn:iso:std:iso:15118:-20:DC"
        case .ac: return "urn:iso:std:iso:15118:-20:AC"
        case .wpt: return "urn:iso:std:iso:15118:-20:WPT"
        case .acdp: return "urn:iso:std:iso:15118:-20:ACDP"
        case .xmldsig: return "http://www.w3.org/2000/09/xmldsig#"
        }
    }

    public init?(namespace: String) {
        guard let s = Self.allCases.first(where: { $0.namespace == namespace }) else { return nil }
        self = s
    }

    /// The set a V2GTP payload type carries (PROTOCOL-NOTES §2). 0x8001 is SAP; the -20 main
    /// streams name their set; side streams are resolved by `V2GCodec.decode(v2gtpPayloadType:…)`.
    public init?(v2gtpPayloadType type: UInt16) {
        switch type {
        case 0x8001: self = .sap
        case 0x8002, 0x8102, 0x8104: self = .common
        case 0x8003: self = .ac
        case 0x8004: self = .dc
        case 0x8005, 0x8103: self = .acdp
        case 0x8006: self = .wpt
        default: return nil
        }
    }
}
