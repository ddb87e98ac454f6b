import EXI
import ISO20Common
import XMLDSig

/// Plug & Charge between the engine and the crypto around it: the engines never sign or verify;
/// they say what must be checked or signed (`SECCAction.checkContract`, `EVCCAction.sign`) and
/// take the result as an input (`SECCSession.contractChecked`, `EVCCSession.signed`).

/// What the SECC's runtime checks for a PnC AuthorizationReq: the request's signature, the
/// echoed challenge, the contract chain, then the backend (V2GPKI's `ContractAuthorizationCheck`,
/// the runtime's `ContractAuthorizer`).
public struct ContractCheckRequest: Sendable, Hashable {
    public var authorization: PnC_AReqAuthorizationModeType
    /// The header's Signature, nil when the request carried none (a failure the check names).
    public var signature: SignatureType?
    /// The GenChallenge this SECC sent in AuthorizationSetupRes.
    public var genChallenge: ShortBinary
    /// The providers AuthorizationSetupRes named (SupportedProviders); nil: any.
    public var supportedProviders: [String]?

    public init(authorization: PnC_AReqAuthorizationModeType, signature: SignatureType?, genChallenge: ShortBinary, supportedProviders: [String]? = nil) {
        self.authorization = authorization; self.signature = signature; self.genChallenge = genChallenge
        self.supportedProviders = supportedProviders
    }
}

/// How the checks ended: the response code AuthorizationRes carries. OK or
/// OK_CertificateExpiresSoon authorize; a WARNING refuses and the EV may try again (another
/// chain, EIM, certificate installation) or stop ([V2G20-1583]); a FAILED code ends the session.
public struct ContractAuthorizationResult: Sendable, Hashable {
    public var responseCode: ISO20Common.ResponseCodeType
    /// Why, for the log and the session record.
    public var detail: String

    public init(_ responseCode: ISO20Common.ResponseCodeType, _ detail: String = "") { self.responseCode = responseCode; self.detail = detail }

    public var authorized: Bool { responseCode == .ok || responseCode == .ok_CertificateExpiresSoon }
}

/// What the EVCC's runtime signs with the vehicle's keys, and with which.
public enum SigningRequest: Sendable, Hashable {
    /// PnC_AReqAuthorizationMode, with the contract certificate's key.
    case authorization(PnC_AReqAuthorizationModeType)
    /// OEMProvisioningCertificateChain of CertificateInstallationReq, with the OEM provisioning key.
    case certificateInstallation(SignedCertificateChainType)
    /// SignedMeteringData of MeteringConfirmationReq, with the contract certificate's key.
    case metering(SignedMeteringDataType)

    /// The element to sign, as the EXI fragment a Reference digests.
    public var fragment: CommonMessagesFragment {
        switch self {
        case .authorization(let e): .pnC_AReqAuthorizationMode(e)
        case .certificateInstallation(let e): .oemProvisioningCertificateChain(e)
        case .metering(let e): .signedMeteringData(e)
        }
    }

    /// Whether the OEM provisioning key signs it (CertificateInstallation); otherwise the contract key.
    public var needsProvisioningKey: Bool {
        if case .certificateInstallation = self { return true }
        return false
    }
}

/// The eMSP a contract belongs to: the provider ID of its eMAID, country code and provider, the
/// first five characters once separators are dropped (DE-8AA-… → DE8AA). One rule for the EVCC
/// matching SupportedProviders and the SECC and its backend enforcing them.
public enum ProviderID {
    /// A provider ID or eMAID without separators, upper case.
    public static func normalized(_ text: String) -> String { text.filter { $0 != "-" }.uppercased() }

    public static func of(emaid: String) -> String { String(normalized(emaid).prefix(5)) }
}

/// GenChallenge: 16 bytes from the system CSPRNG, a new one for every AuthorizationSetupRes
/// ([V2G20-697]/[V2G20-698]: 128 bits, at least 120 of them random).
public enum GenChallengeGenerator {
    @Sendable public static func random() -> ShortBinary {
        var g = SystemRandomNumberGenerator()
        return ShortBinary((0..<2).flatMap { _ in withUnsafeBytes(of: g.next() as UInt64) { Array($0) } })
    }
}
