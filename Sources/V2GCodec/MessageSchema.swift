import V2GTP

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

    /// The set a main-stream V2GTP payload type names (PROTOCOL-NOTES §2): SAP and the -20 main
    /// streams. Side streams (0x8101–0x8104) name a stream, not a set: `SideStreamMessages`
    /// finds a side-stream frame's set.
    public init?(v2gtpPayloadType type: V2GTPPayloadType) {
        switch type {
        case .sap: self = .sap
        case .mainStreamCommon: self = .common
        case .mainStreamAC: self = .ac
        case .mainStreamDC: self = .dc
        case .mainStreamACDP: self = .acdp
        case .mainStreamWPT: self = .wpt
        case .scheduleRenegotiation, .meteringConfirmation, .acdpSystemStatus, .parkingStatus,
             .sdpRequest, .sdpResponse, .sdpRequestWireless, .sdpResponseWireless: return nil
        }
    }

    /// The payload type of this set's main stream (SAP for supportedAppProtocol; xmldsig alone
    /// never travels, it is named with CommonMessages).
    public var mainStreamPayloadType: V2GTPPayloadType {
        switch self {
        case .sap: return .sap
        case .common, .xmldsig: return .mainStreamCommon
        case .dc: return .mainStreamDC
        case .ac: return .mainStreamAC
        case .wpt: return .mainStreamWPT
        case .acdp: return .mainStreamACDP
        }
    }
}
