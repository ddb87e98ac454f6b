import ISO20Common
import V2GPKI
import XMLDSig

/// The key that signs a charger's price schedules (the CPO's, the backend's or the MO's) and
/// the certificate chain that goes with it in the Signature's KeyInfo, for the EV to check.
public struct PriceScheduleSigner: Sendable {
    public var key: XMLSignatureSigningKey
    /// Leaf first (DER).
    public var certificateChain: [[UInt8]]

    public init(key: XMLSignatureSigningKey, certificateChain: [[UInt8]]) {
        self.key = key
        self.certificateChain = certificateChain
    }

    func sign(_ schedules: [CommonMessagesFragment]) throws -> SignatureType {
        try XMLSignature.sign(schedules.compactMap(SignedElement.init), with: key, certificateChain: certificateChain)
    }
}
