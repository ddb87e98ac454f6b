import ISO20Common
import XMLDSig

/// What the SECC's runtime verifies for MeteringConfirmationReq: the EV's Signature over
/// SignedMeteringData with the contract certificate the SECC authorized.
public struct MeteringCheckRequest: Sendable, Hashable {
    public var signedMeteringData: SignedMeteringDataType
    public var signature: SignatureType?
    /// The authorized contract certificate (DER).
    public var contractCertificate: [UInt8]

    public init(signedMeteringData: SignedMeteringDataType, signature: SignatureType?, contractCertificate: [UInt8]) {
        self.signedMeteringData = signedMeteringData; self.signature = signature; self.contractCertificate = contractCertificate
    }
}
