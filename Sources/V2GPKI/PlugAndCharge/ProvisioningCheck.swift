import Foundation
import ISO20Common
import XMLDSig

/// What the SECC checks itself in a CertificateInstallationReq before it asks for a contract
/// (`CertificateProvider` in the runtime): the header Signature over OEMProvisioningCertificateChain
/// with the OEM provisioning certificate's key, its validity, and its path to a trusted OEM root
/// with the -20 profile (`SignedChainCheck`, the same codes as for a contract chain).
public struct ProvisioningCheck: Sendable {
    /// The OEM roots a provisioning chain may end in (DER).
    public let trustedRootsDER: [[UInt8]]

    public init(trustedRootsDER: [[UInt8]]) { self.trustedRootsDER = trustedRootsDER }

    /// A vehicle whose provisioning chain passed: what the CPS is asked for a contract with.
    public struct Vehicle: Sendable, Equatable {
        /// The provisioning certificate identifier: the OEM provisioning certificate's common name.
        public var pcid: String
        /// The OEM provisioning certificate (DER): the contract key is sealed to its key.
        public var provisioningCertificateDER: [UInt8]
        public var algorithm: XMLSignatureAlgorithm

        public init(pcid: String, provisioningCertificateDER: [UInt8], algorithm: XMLSignatureAlgorithm) {
            self.pcid = pcid; self.provisioningCertificateDER = provisioningCertificateDER; self.algorithm = algorithm
        }
    }

    public func check(_ request: CertificateInstallationReqType, now: Date = Date()) async -> Result<Vehicle, PlugAndChargeRefusal> {
        let chain = request.oemProvisioningCertificateChain
        let presented = [chain.certificate] + (chain.subCertificates?.certificate ?? [])
        guard let element = SignedElement(.oemProvisioningCertificateChain(chain)) else {
            return .failure(PlugAndChargeRefusal(.failed_SignatureError, "OEMProvisioningCertificateChain has no Id"))
        }
        let passed = await SignedChainCheck(trustedRootsDER: trustedRootsDER, leafDomain: "OEM").check(element, chain: presented, signature: request.header.signature, now: now)
        return passed.flatMap { passed in
            guard let pcid = passed.leaf.commonName, !pcid.isEmpty else {
                return .failure(PlugAndChargeRefusal(.warning_CertificateValidationError, "the OEM provisioning certificate names no PCID"))
            }
            return .success(Vehicle(pcid: pcid, provisioningCertificateDER: chain.certificate, algorithm: passed.algorithm))
        }
    }
}
