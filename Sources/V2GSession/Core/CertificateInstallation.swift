import ISO20Common
import XMLDSig

/// CertificateInstallation between the engines and the crypto around them: the SECC asks its
/// runtime for the response (`SECCAction.provideCertificate`: the provisioning chain checked, the
/// backend's CPS asked) and takes it as an input (`SECCSession.certificateProvided`); the EVCC asks
/// its runtime to check, open and keep a received contract (`EVCCAction.installContract`,
/// `EVCCSession.contractInstalled`).

/// What CertificateInstallationRes carries besides the header's SessionID, time and the code.
public struct CertificateInstallationData: Sendable, Hashable {
    public var cpsCertificateChain: CertificateChainType
    public var signedInstallationData: SignedInstallationDataType
    /// The CPS's header Signature over SignedInstallationData.
    public var signature: SignatureType
    public var remainingContractCertificateChains: UInt8

    public init(cpsCertificateChain: CertificateChainType, signedInstallationData: SignedInstallationDataType, signature: SignatureType,
                remainingContractCertificateChains: UInt8) {
        self.cpsCertificateChain = cpsCertificateChain; self.signedInstallationData = signedInstallationData
        self.signature = signature; self.remainingContractCertificateChains = remainingContractCertificateChains
    }
}

/// The runtime's answer to `SECCAction.provideCertificate`.
public enum CertificateInstallationOutcome: Sendable, Hashable {
    case provided(CertificateInstallationData)
    /// A WARNING (WARNING_NoCertificateAvailable, WARNING_CertificateValidationError, …) or FAILED
    /// (FAILED_SignatureError) code, and why.
    case refused(ISO20Common.ResponseCodeType, String)
}

/// What the vehicle holds to install contracts: its OEM provisioning chain (the runtime keeps the
/// key and signs) and the roots it trusts for contracts (ListOfRootCertificateIDs).
public struct EVCCProvisioning: Sendable, Hashable {
    /// The OEM provisioning certificate, then its Sub-CAs (DER).
    public var certificateChain: [[UInt8]]
    public var rootCertificateIDs: [X509IssuerSerialType]
    public var maximumContractCertificateChains: UInt8

    public init(certificateChain: [[UInt8]], rootCertificateIDs: [X509IssuerSerialType], maximumContractCertificateChains: UInt8 = 1) {
        self.certificateChain = certificateChain; self.rootCertificateIDs = rootCertificateIDs
        self.maximumContractCertificateChains = maximumContractCertificateChains
    }
}
