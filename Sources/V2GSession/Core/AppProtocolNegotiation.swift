import AppProtocol

/// A protocol a V2G entity speaks, as named in supportedAppProtocol.
public struct V2GProtocol: Sendable, Hashable {
    public var namespace: String
    public var major: UInt32
    public var minor: UInt32

    public init(namespace: String, major: UInt32, minor: UInt32 = 0) {
        self.namespace = namespace; self.major = major; self.minor = minor
    }

    public static let iso20DC = V2GProtocol(namespace: "urn:iso:std:iso:15118:-20:DC", major: 1)
    public static let iso20AC = V2GProtocol(namespace: "urn:iso:std:iso:15118:-20:AC", major: 1)
    public static let iso20WPT = V2GProtocol(namespace: "urn:iso:std:iso:15118:-20:WPT", major: 1)
    public static let iso20ACDP = V2GProtocol(namespace: "urn:iso:std:iso:15118:-20:ACDP", major: 1)
}

/// supportedAppProtocol (PROTOCOL-NOTES §4): the EVCC offers what it supports, ranked by Priority
/// (1 highest); the SECC picks, among the protocols it supports itself, the one the EVCC ranked
/// highest ([V2G20-169]), answering with that entry's SchemaID.
public enum AppProtocolNegotiation {
    /// The EVCC's request: its protocols in preference order get Priority 1, 2, …; SchemaIDs count from 1.
    public static func request(offering protocols: [V2GProtocol]) -> SupportedAppProtocolReq {
        SupportedAppProtocolReq(appProtocol: protocols.prefix(20).enumerated().map { i, p in
            AppProtocolType(protocolNamespace: p.namespace, versionNumberMajor: p.major, versionNumberMinor: p.minor,
                            schemaID: UInt8(i + 1), priority: UInt8(i + 1))
        })
    }

    public struct Selection: Sendable, Hashable {
        public let response: SupportedAppProtocolRes
        /// The protocol agreed on, nil when there is none.
        public let selected: V2GProtocol?
    }

    /// The SECC's answer. A matching namespace and major version is a success; a different minor
    /// version is a success "with minor deviation".
    public static func select(_ request: SupportedAppProtocolReq, supported: [V2GProtocol]) -> Selection {
        let candidates = request.appProtocol.sorted { $0.priority < $1.priority }
        for offer in candidates {
            guard let ours = supported.first(where: { $0.namespace == offer.protocolNamespace && $0.major == offer.versionNumberMajor }) else { continue }
            let code: ResponseCodeType = ours.minor == offer.versionNumberMinor ? .ok_SuccessfulNegotiation : .ok_SuccessfulNegotiationWithMinorDeviation
            return Selection(response: SupportedAppProtocolRes(responseCode: code, schemaID: offer.schemaID), selected: ours)
        }
        return Selection(response: SupportedAppProtocolRes(responseCode: .failed_NoNegotiation), selected: nil)
    }

    /// The EVCC's reading of the answer: the protocol it offered under that SchemaID.
    public static func agreed(_ response: SupportedAppProtocolRes, to request: SupportedAppProtocolReq) -> V2GProtocol? {
        guard response.responseCode != .failed_NoNegotiation, let id = response.schemaID,
              let entry = request.appProtocol.first(where: { $0.schemaID == id }) else { return nil }
        return V2GProtocol(namespace: entry.protocolNamespace, major: entry.versionNumberMajor, minor: entry.versionNumberMinor)
    }
}
