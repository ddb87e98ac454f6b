import Crypto
import Foundation
import ISO20Common
import X509
import XMLDSig

/// A contract certificate pool service (CPS) with an eMSP behind it, on the test PKI: what a
/// charger's backend answers to OCPP Get15118EVCertificate, for tests, `v2g simulate` and test
/// benches. For each request it issues a new P-521 contract certificate (MO Sub-CA 2, CN = eMAID),
/// seals its private key to the vehicle's OEM provisioning key (`ContractKeyEnvelope`) and signs
/// SignedInstallationData with the CPS leaf.
public struct SimulatedCPS: Sendable {
    /// MO Sub-CA 2: issues the contract certificates.
    public var contractIssuer: Credential
    /// The contract chain's Sub-CAs as sent: MO Sub-CA 2, MO Sub-CA 1.
    public var contractSubCAs: [Certificate]
    /// The roots the CPS issues under (matched against ListOfRootCertificateIDs): MO and V2G.
    public var roots: [Certificate]
    /// The CPS leaf (signs SignedInstallationData) and its Sub-CAs as sent.
    public var cps: Credential
    public var cpsSubCAs: [Certificate]
    public var emaid: String

    public init(contractIssuer: Credential, contractSubCAs: [Certificate], roots: [Certificate], cps: Credential, cpsSubCAs: [Certificate],
                emaid: String = TestPKI.Options().emaid) {
        self.contractIssuer = contractIssuer; self.contractSubCAs = contractSubCAs; self.roots = roots
        self.cps = cps; self.cpsSubCAs = cpsSubCAs; self.emaid = emaid
    }

    public init(pki: TestPKI, emaid: String = TestPKI.Options().emaid) {
        self.init(contractIssuer: pki.moSubCA2, contractSubCAs: [pki.moSubCA2.certificate, pki.moSubCA1.certificate],
                  roots: [pki.moRoot.certificate, pki.v2gRoot.certificate], cps: pki.cps,
                  cpsSubCAs: [pki.cpsSubCA2.certificate, pki.cpsSubCA1.certificate], emaid: emaid)
    }

    /// The same from a folder `v2g pki init` wrote (P-521).
    public init(files: PKIFiles, emaid: String = TestPKI.Options().emaid) throws {
        func credential(_ name: String, _ role: CertificateRole) throws -> Credential {
            Credential(certificate: try files.certificate(name), privateKey: try files.privateKey(name), role: role)
        }
        self.init(contractIssuer: try credential("mo-subca2", .subCA2), contractSubCAs: [try files.certificate("mo-subca2"), try files.certificate("mo-subca1")],
                  roots: [try files.certificate("mo-root"), try files.certificate("v2g-root")], cps: try credential("cps", .cps),
                  cpsSubCAs: [try files.certificate("cps-subca2"), try files.certificate("cps-subca1")], emaid: emaid)
    }

    /// What CertificateInstallationRes carries besides the header's SessionID and time.
    public struct Provisioned: Sendable, Hashable {
        public var cpsCertificateChain: CertificateChainType
        public var signedInstallationData: SignedInstallationDataType
        /// The header Signature over SignedInstallationData, by the CPS leaf.
        public var signature: SignatureType
        public var remainingContractCertificateChains: UInt8
    }

    /// A contract for `vehicle`, whose CertificateInstallationReq is `request`. Refusals: none of
    /// the EV's root IDs names a root this CPS issues under (WARNING_NoCertificateAvailable); a
    /// provisioning key that is not P-521 (the simulated CPS issues P-521 contracts only).
    public func provision(for vehicle: ProvisioningCheck.Vehicle, request: CertificateInstallationReqType,
                          now: Date = Date()) throws -> Provisioned {
        let ids = request.listOfRootCertificateIDs.rootCertificateID
        guard ids.isEmpty || ids.contains(where: { id in roots.contains(where: id.names) }) else {
            throw PlugAndChargeRefusal(.warning_NoCertificateAvailable, "none of the vehicle's root certificates is one this CPS issues under")
        }
        guard case .p521(let provisioningKey) = try XMLSignatureVerifyingKey(certificateDER: vehicle.provisioningCertificateDER) else {
            throw PlugAndChargeRefusal(.warning_NoCertificateAvailable, "the simulated CPS seals contract keys to P-521 provisioning keys only")
        }
        let contract = try TestPKI.issue(role: .contract, commonName: emaid, by: contractIssuer,
                                         validity: (now.addingTimeInterval(-3600), now.addingTimeInterval(730 * 86_400)))
        let contractDER = try contract.certificate.derBytes
        guard let ski = try CertificateSummary(der: contractDER).subjectKeyIdentifier else {
            throw PlugAndChargeRefusal(.warning_NoCertificateAvailable, "the issued contract certificate has no subject key identifier")
        }
        let envelope = try ContractKeyEnvelope.seal(
            contractKey: contract.privateKey, to: try P521.KeyAgreement.PublicKey(rawRepresentation: provisioningKey.rawRepresentation),
            binding: ContractKeyEnvelope.Binding(pcid: vehicle.pcid, contractSubjectKeyIdentifier: ski))
        let data = SignedInstallationDataType(
            id: "SignedInstallationData",
            contractCertificateChain: ContractCertificateChainType(
                certificate: contractDER,
                subCertificates: SubCertificatesType(certificate: try contractSubCAs.map { try $0.derBytes })),
            ecdhCurve: .secp521, dhPublicKey: envelope.dhPublicKey, encryptedPrivateKey: .secp521_EncryptedPrivateKey(envelope.encryptedPrivateKey))
        let signature = try XMLSignature.sign([SignedElement(.signedInstallationData(data))!], with: .p521(cps.privateKey))  // it has an Id
        let cpsChain = CertificateChainType(certificate: try cps.certificate.derBytes,
                                            subCertificates: SubCertificatesType(certificate: try cpsSubCAs.map { try $0.derBytes }))
        return Provisioned(cpsCertificateChain: cpsChain, signedInstallationData: data, signature: signature, remainingContractCertificateChains: 0)
    }
}
