import Crypto
import Foundation
import ISO20Common
import XMLDSig

/// What the EVCC checks in a CertificateInstallationRes before it keeps the contract: the header
/// Signature over SignedInstallationData with the CPS leaf's key and the CPS chain to a trusted
/// V2G root; the contract chain to a trusted MO or V2G root; then it opens the sealed private key
/// with its OEM provisioning key and checks that it belongs to the contract certificate.
public struct ContractInstallation: Sendable {
    /// The roots the CPS chain and the contract chain may end in (DER): V2G and MO roots.
    public let trustedRootsDER: [[UInt8]]

    public init(trustedRootsDER: [[UInt8]]) { self.trustedRootsDER = trustedRootsDER }

    /// A contract ready to use: its chain as PnC presents it (leaf, Sub-CAs) and its key.
    public struct Installed: Sendable {
        public var emaid: String
        public var chainDER: [[UInt8]]
        public var privateKey: P521.Signing.PrivateKey
    }

    /// `pcid`: this vehicle's provisioning certificate identifier (what the CPS bound the key to);
    /// `provisioningKey`: the OEM provisioning certificate's private key.
    public func open(_ response: CertificateInstallationResType, pcid: String, provisioningKey: P521.Signing.PrivateKey,
                     now: Date = Date()) async -> Result<Installed, PlugAndChargeRefusal> {
        let data = response.signedInstallationData
        let cps = [response.cpsCertificateChain.certificate] + (response.cpsCertificateChain.subCertificates?.certificate ?? [])
        guard let element = SignedElement(.signedInstallationData(data)) else {
            return .failure(PlugAndChargeRefusal(.failed_SignatureError, "SignedInstallationData has no Id"))
        }
        let check = SignedChainCheck(trustedRootsDER: trustedRootsDER, leafDomain: "CPS")
        if case .failure(let refusal) = await check.check(element, chain: cps, signature: response.header.signature, now: now) {
            return .failure(refusal)
        }
        let contractChain = [data.contractCertificateChain.certificate] + data.contractCertificateChain.subCertificates.certificate
        let contract: CertificateSummary
        switch await SignedChainCheck(trustedRootsDER: trustedRootsDER, leafDomain: "MO").validate(contractChain, now: now) {
        case .failure(let refusal): return .failure(refusal)
        case .success(let passed): contract = passed.leaf
        }
        guard let emaid = contract.commonName, let ski = contract.subjectKeyIdentifier else {
            return .failure(PlugAndChargeRefusal(.warning_CertificateValidationError, "the contract certificate names no eMAID or has no key identifier"))
        }
        guard data.ecdhCurve == .secp521, case .secp521_EncryptedPrivateKey(let sealed) = data.encryptedPrivateKey else {
            return .failure(PlugAndChargeRefusal(.warning_NoCertificateAvailable, "this vehicle's provisioning key is P-521: \(data.ecdhCurve.rawValue) cannot be opened"))
        }
        do {
            guard case .p521(let contractPublicKey) = try XMLSignatureVerifyingKey(certificateDER: data.contractCertificateChain.certificate) else {
                return .failure(PlugAndChargeRefusal(.warning_CertificateValidationError, "the contract certificate's key is not P-521"))
            }
            let envelope = try ContractKeyEnvelope(curve: .secp521r1, dhPublicKey: data.dhPublicKey, encryptedPrivateKey: sealed)
            let key = try envelope.open(with: try P521.KeyAgreement.PrivateKey(rawRepresentation: provisioningKey.rawRepresentation),
                                        binding: ContractKeyEnvelope.Binding(pcid: pcid, contractSubjectKeyIdentifier: ski),
                                        contractPublicKey: contractPublicKey)
            return .success(Installed(emaid: emaid, chainDER: contractChain, privateKey: key))
        } catch {
            return .failure(PlugAndChargeRefusal(.failed, "the contract key does not open: \(error)"))
        }
    }
}
