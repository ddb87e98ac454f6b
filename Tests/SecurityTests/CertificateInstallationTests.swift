import Crypto
import Foundation
import ISO20Common
import Testing
import TestSupport
import V2GPKI
import X509
import XMLDSig

/// CertificateInstallation's crypto end to end, without sockets: the vehicle signs its request
/// with the OEM provisioning key, the SECC checks it, the simulated CPS issues a contract and seals
/// its key to the vehicle, the vehicle checks the CPS and opens the key. And every way it must fail.
@Suite(.offPool) struct CertificateInstallationTests {
    static var pki: TestPKI { OpenSSLInteropTests.files.pki }
    static var oemRoots: [[UInt8]] { [try! pki.oemRoot.certificate.derBytes] }  // fixture
    static var vehicleRoots: [[UInt8]] { [try! pki.v2gRoot.certificate.derBytes, try! pki.moRoot.certificate.derBytes] }  // fixture
    static let pcid = TestPKI.Options().evccID

    /// CertificateInstallationReq as the EVCC sends it, signed with `key`.
    static func request(chain: [Certificate]? = nil, key: P521.Signing.PrivateKey? = nil,
                        rootIDs: [X509IssuerSerialType]? = nil) throws -> CertificateInstallationReqType {
        let chain = try (chain ?? pki.oemProvisioningChain).map { try $0.derBytes }
        let element = SignedCertificateChainType(id: "OEMProvisioningCertificateChain", certificate: chain[0],
                                                 subCertificates: SubCertificatesType(certificate: Array(chain.dropFirst())))
        var header = MessageHeaderType(sessionID: [1, 2, 3, 4, 5, 6, 7, 8], timeStamp: 1_800_000_000)
        header.signature = try XMLSignature.sign([try #require(SignedElement(.oemProvisioningCertificateChain(element)))],
                                                 with: .p521(key ?? pki.oemProvisioning.privateKey))
        return CertificateInstallationReqType(
            header: header, oemProvisioningCertificateChain: element,
            listOfRootCertificateIDs: ListOfRootCertificateIDsType(rootCertificateID: rootIDs ?? [X509IssuerSerialType(certificate: pki.moRoot.certificate),
                                                                                                 X509IssuerSerialType(certificate: pki.v2gRoot.certificate)]),
            maximumContractCertificateChains: 1)
    }

    static func response(_ provisioned: SimulatedCPS.Provisioned) -> CertificateInstallationResType {
        var header = MessageHeaderType(sessionID: [1, 2, 3, 4, 5, 6, 7, 8], timeStamp: 1_800_000_001)
        header.signature = provisioned.signature
        return CertificateInstallationResType(header: header, responseCode: .ok, evseProcessing: .finished,
                                              cpsCertificateChain: provisioned.cpsCertificateChain,
                                              signedInstallationData: provisioned.signedInstallationData,
                                              remainingContractCertificateChains: provisioned.remainingContractCertificateChains)
    }

    static func code<T>(_ result: Result<T, PlugAndChargeRefusal>) -> ResponseCodeType? {
        if case .failure(let refusal) = result { return refusal.responseCode }
        return nil
    }

    @Test func aContractIsInstalledEndToEnd() async throws {
        let request = try Self.request()
        let vehicle = try await ProvisioningCheck(trustedRootsDER: Self.oemRoots).check(request).get()
        #expect(vehicle.pcid == Self.pcid)
        let provisioned = try SimulatedCPS(pki: Self.pki).provision(for: vehicle, request: request)
        guard case .secp521_EncryptedPrivateKey(let sealed) = provisioned.signedInstallationData.encryptedPrivateKey else {
            Issue.record("not a P-521 envelope"); return
        }
        #expect(sealed.count == 94 && provisioned.signedInstallationData.dhPublicKey.count == 133)
        let installed = try await ContractInstallation(trustedRootsDER: Self.vehicleRoots)
            .open(Self.response(provisioned), pcid: Self.pcid, provisioningKey: Self.pki.oemProvisioning.privateKey).get()
        #expect(installed.emaid == "DESWIC123456789")
        #expect(installed.chainDER.count == 3)
        // The key belongs to the certificate: a PnC signature with it verifies with the certificate.
        let key = try XMLSignatureVerifyingKey(certificateDER: installed.chainDER[0])
        let element = try #require(SignedElement(.signedMeteringData(SignedMeteringDataType(
            id: "m", sessionID: [1, 2, 3, 4, 5, 6, 7, 8], meterInfo: MeterInfoType(meterID: "M1", chargedEnergyReadingWh: 1), smdtControlMode: .dynamic_SMDTControlMode(Dynamic_SMDTControlModeType())))))
        let signature = try XMLSignature.sign([element], with: .p521(installed.privateKey))
        #expect(XMLSignature.verify(signature, covering: [element], with: key) == .success(.ecdsaP521SHA512))
    }

    /// The SECC's check of the request: forged, untrusted and expired provisioning chains.
    @Test func badProvisioningRequestsAreRefused() async throws {
        let check = ProvisioningCheck(trustedRootsDER: Self.oemRoots)
        #expect(Self.code(await check.check(try Self.request(key: P521.Signing.PrivateKey()))) == .failed_SignatureError)
        var unsigned = try Self.request()
        unsigned.header.signature = nil
        #expect(Self.code(await check.check(unsigned)) == .failed_SignatureError)
        let other = try TestPKI()
        #expect(Self.code(await check.check(try Self.request(chain: other.oemProvisioningChain, key: other.oemProvisioning.privateKey)))
                == .warning_CertificateValidationError)
        let expired = try TestPKI.issue(role: .oemProvisioning, commonName: Self.pcid, by: Self.pki.oemSubCA2,
                                        validity: (Date().addingTimeInterval(-30 * 86_400), Date().addingTimeInterval(-86_400)))
        let expiredChain = [expired.certificate] + Array(Self.pki.oemProvisioningChain.dropFirst())
        #expect(Self.code(await check.check(try Self.request(chain: expiredChain, key: expired.privateKey))) == .warning_CertificateExpired)
    }

    @Test func theCPSIssuesOnlyUnderRootsTheVehicleTrusts() async throws {
        let other = try TestPKI()
        let request = try Self.request(rootIDs: [X509IssuerSerialType(certificate: other.moRoot.certificate)])
        let vehicle = try await ProvisioningCheck(trustedRootsDER: Self.oemRoots).check(request).get()
        #expect(throws: PlugAndChargeRefusal.self) { try SimulatedCPS(pki: Self.pki).provision(for: vehicle, request: request) }
        do {
            _ = try SimulatedCPS(pki: Self.pki).provision(for: vehicle, request: request)
        } catch let refusal as PlugAndChargeRefusal {
            #expect(refusal.responseCode == .warning_NoCertificateAvailable)
        }
    }

    /// The vehicle's side: a tampered SignedInstallationData, a CPS signature by another key, an
    /// untrusted CPS, a re-signed tampered key, another vehicle's provisioning key, another PCID.
    @Test func theVehicleRefusesWhatItCannotTrustOrOpen() async throws {
        let request = try Self.request()
        let vehicle = try await ProvisioningCheck(trustedRootsDER: Self.oemRoots).check(request).get()
        let provisioned = try SimulatedCPS(pki: Self.pki).provision(for: vehicle, request: request)
        let installation = ContractInstallation(trustedRootsDER: Self.vehicleRoots)
        func open(_ p: SimulatedCPS.Provisioned, pcid: String = Self.pcid, key: P521.Signing.PrivateKey = Self.pki.oemProvisioning.privateKey) async -> ResponseCodeType? {
            Self.code(await installation.open(Self.response(p), pcid: pcid, provisioningKey: key))
        }
        #expect(await open(provisioned) == nil)
        // Tampered after the CPS signed: the signature no longer covers it.
        var tampered = provisioned
        guard case .secp521_EncryptedPrivateKey(var sealed) = provisioned.signedInstallationData.encryptedPrivateKey else {
            Issue.record("not a P-521 envelope"); return
        }
        sealed[40] ^= 1
        tampered.signedInstallationData.encryptedPrivateKey = .secp521_EncryptedPrivateKey(sealed)
        #expect(await open(tampered) == .failed_SignatureError)
        // The same tampering re-signed by the CPS: the signature holds, the key does not open.
        tampered.signature = try XMLSignature.sign([try #require(SignedElement(.signedInstallationData(tampered.signedInstallationData)))],
                                                   with: .p521(Self.pki.cps.privateKey))
        #expect(await open(tampered) == .failed)
        // Signed by a key that is not the CPS leaf's.
        var forged = provisioned
        forged.signature = try XMLSignature.sign([try #require(SignedElement(.signedInstallationData(provisioned.signedInstallationData)))],
                                                 with: .p521(P521.Signing.PrivateKey()))
        #expect(await open(forged) == .failed_SignatureError)
        // A CPS of another PKI (its own chain and key): not trusted.
        let other = try TestPKI()
        let foreign = try SimulatedCPS(pki: other).provision(for: vehicle, request: try Self.request(rootIDs: []))
        #expect(await open(foreign) == .warning_CertificateValidationError)
        // Only this vehicle's provisioning key opens it, and only for its PCID.
        #expect(await open(provisioned, key: other.oemProvisioning.privateKey) == .failed)
        #expect(await open(provisioned, pcid: "WMIV0000000000000000") == .failed)
    }
}
