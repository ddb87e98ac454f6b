import EXI
import Benchmark
import Crypto
import ISO20Common
import V2GPKI
import XMLDSig

/// Plug & Charge signatures as the engines use them: the EVCC signing its PnC
/// AuthorizationReq (digest of the EXI fragment, SignedInfo fragment, the signature), the SECC
/// verifying it, and the SECC's whole contract check (signature, challenge, validity, the path to
/// the MO root). P-521 through swift-crypto, Ed448 through OpenSSL.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .mallocCountTotal], timeUnits: .microseconds,
                                           maxDuration: .seconds(5), maxIterations: 2_000)
    let pki = try! TestPKI()  // fixture: generation with the defaults cannot fail
    let chain = try! pki.contractChain.map { try $0.derBytes }  // fixture: our own certificates encode
    let challenge = ShortBinary(repeating: 0x5A, count: 16)
    let element = PnC_AReqAuthorizationModeType(
        id: "PnC_AReq", genChallenge: challenge,
        contractCertificateChain: ContractCertificateChainType(certificate: chain[0], subCertificates: SubCertificatesType(certificate: Array(chain.dropFirst()))))
    let signed = SignedElement(.pnC_AReqAuthorizationMode(element))!  // fixture: the element has an Id

    var keys: [(String, XMLSignatureSigningKey)] = [("ECDSA-P521-SHA512", .p521(pki.contract.privateKey))]
    if let ed448 = try! XMLSignatureSigningKey.newEd448() { keys.append(("Ed448", ed448)) }  // fixture
    for (name, key) in keys {
        let verifying = try! key.verifyingKey  // fixture
        let signature = try! XMLSignature.sign([signed], with: key)  // fixture
        Benchmark("sign PnC AuthorizationReq (\(name))") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(try XMLSignature.sign([signed], with: key)) }
        }
        Benchmark("verify PnC AuthorizationReq (\(name))") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(XMLSignature.verify(signature, covering: [signed], with: verifying)) }
        }
    }
    Benchmark("test PKI generation (27 P-521 certificates: roots, sub-CAs, leaves, OCSP signers)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try TestPKI()) }
    }
    let check = ContractAuthorizationCheck(trustedRootsDER: [try! pki.v2gRoot.certificate.derBytes, try! pki.moRoot.certificate.derBytes])  // fixture
    let signature = try! XMLSignature.sign([signed], with: .p521(pki.contract.privateKey))  // fixture
    Benchmark("SECC contract check of a PnC AuthorizationReq (P-521: signature, challenge, validity, path to the MO root)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(await check.check(element, signature: signature, expectedChallenge: challenge))
        }
    }

    // CertificateInstallation: the SECC's check of the request plus the simulated CPS (issue a
    // contract certificate, seal its key, sign SignedInstallationData), and the vehicle's side
    // (CPS signature and chain, contract chain, open and match the key).
    let provisioningChain = try! pki.oemProvisioningChain.map { try $0.derBytes }  // fixture
    let provisioningElement = SignedCertificateChainType(id: "OEMProvisioningCertificateChain", certificate: provisioningChain[0],
                                                         subCertificates: SubCertificatesType(certificate: Array(provisioningChain.dropFirst())))
    var header = MessageHeaderType(sessionID: [1, 2, 3, 4, 5, 6, 7, 8], timeStamp: 1_800_000_000)
    header.signature = try! XMLSignature.sign([SignedElement(.oemProvisioningCertificateChain(provisioningElement))!], with: .p521(pki.oemProvisioning.privateKey))  // fixture
    let installationRequest = CertificateInstallationReqType(
        header: header, oemProvisioningCertificateChain: provisioningElement,
        listOfRootCertificateIDs: ListOfRootCertificateIDsType(rootCertificateID: [X509IssuerSerialType(certificate: pki.moRoot.certificate)]),
        maximumContractCertificateChains: 1)
    let provisioningCheck = ProvisioningCheck(trustedRootsDER: [try! pki.oemRoot.certificate.derBytes])  // fixture
    let cps = SimulatedCPS(pki: pki)
    Benchmark("SECC CertificateInstallation: provisioning check + simulated CPS (issue, seal, sign)") { benchmark in
        for _ in benchmark.scaledIterations {
            let vehicle = try await provisioningCheck.check(installationRequest).get()
            blackHole(try cps.provision(for: vehicle, request: installationRequest))
        }
    }
    let vehicle = ProvisioningCheck.Vehicle(pcid: TestPKI.Options().evccID, provisioningCertificateDER: provisioningChain[0], algorithm: .ecdsaP521SHA512)
    let provisioned = try! cps.provision(for: vehicle, request: installationRequest)  // fixture
    var responseHeader = MessageHeaderType(sessionID: [1, 2, 3, 4, 5, 6, 7, 8], timeStamp: 1_800_000_001)
    responseHeader.signature = provisioned.signature
    let installationResponse = CertificateInstallationResType(
        header: responseHeader, responseCode: .ok, evseProcessing: .finished, cpsCertificateChain: provisioned.cpsCertificateChain,
        signedInstallationData: provisioned.signedInstallationData, remainingContractCertificateChains: 0)
    let installation = ContractInstallation(trustedRootsDER: [try! pki.v2gRoot.certificate.derBytes, try! pki.moRoot.certificate.derBytes])  // fixture
    Benchmark("EVCC CertificateInstallation: CPS signature and chain, contract chain, open and match the key") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try await installation.open(installationResponse, pcid: TestPKI.Options().evccID,
                                                  provisioningKey: pki.oemProvisioning.privateKey).get())
        }
    }
}
