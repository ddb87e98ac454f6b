import EXI
import Crypto
import Foundation
import ISO20Common
import Testing
import TestSupport
import V2GPKI
import X509
import XMLDSig

/// The SECC's own checks of a Plug & Charge AuthorizationReq: each forged, tampered, expired or
/// untrusted input gets its exact -20 response code, and nothing wrong passes.
@Suite(.offPool) struct ContractAuthorizationCheckTests {
    static var pki: TestPKI { OpenSSLInteropTests.files.pki }
    static let challenge = ShortBinary(UInt8(100)..<116)
    static var check: ContractAuthorizationCheck {
        ContractAuthorizationCheck(trustedRootsDER: [try! pki.v2gRoot.certificate.derBytes, try! pki.moRoot.certificate.derBytes])  // fixture
    }

    /// A PnC_AReqAuthorizationMode with `chain` (leaf first) and `challenge`, signed with `key`.
    static func request(_ chain: [[UInt8]], challenge: ShortBinary = challenge, key: XMLSignatureSigningKey) throws
        -> (PnC_AReqAuthorizationModeType, SignatureType) {
        let element = PnC_AReqAuthorizationModeType(
            id: "pnc1", genChallenge: challenge,
            contractCertificateChain: ContractCertificateChainType(certificate: chain[0], subCertificates: SubCertificatesType(certificate: Array(chain.dropFirst()))))
        return (element, try XMLSignature.sign([try #require(SignedElement(.pnC_AReqAuthorizationMode(element)))], with: key))
    }

    static var contractChain: [[UInt8]] { try! pki.contractChain.map { try $0.derBytes } }  // fixture: our own certificates encode

    static func code(_ result: Result<ContractAuthorizationCheck.Contract, ContractAuthorizationCheck.Refusal>) -> ResponseCodeType? {
        if case .failure(let refusal) = result { return refusal.responseCode }
        return nil
    }

    @Test func aValidContractPasses() async throws {
        let (element, signature) = try Self.request(Self.contractChain, key: .p521(Self.pki.contract.privateKey))
        let contract = try await Self.check.check(element, signature: signature, expectedChallenge: Self.challenge).get()
        #expect(contract.emaid == "DESWIC123456789")
        #expect(contract.expiresSoon == false)
        #expect(contract.algorithm == .ecdsaP521SHA512)
        #expect(contract.chainDER.count == 4)  // leaf, MO Sub-CA 2, MO Sub-CA 1, MO root
        #expect(contract.chainDER.last == (try Self.pki.moRoot.certificate.derBytes))
    }

    /// Signature problems: FAILED_SignatureError ([V2G20-461]), checked before anything else.
    @Test func signatureFailuresAreFailedSignatureError() async throws {
        let check = Self.check
        let (element, signature) = try Self.request(Self.contractChain, key: .p521(Self.pki.contract.privateKey))
        #expect(Self.code(await check.check(element, signature: nil, expectedChallenge: Self.challenge)) == .failed_SignatureError)
        // Signed by a key that is not the contract certificate's.
        let (_, forged) = try Self.request(Self.contractChain, key: .p521(P521.Signing.PrivateKey()))
        #expect(Self.code(await check.check(element, signature: forged, expectedChallenge: Self.challenge)) == .failed_SignatureError)
        // The element altered after signing (another chain).
        var altered = element
        altered.contractCertificateChain.subCertificates.certificate.removeLast()
        #expect(Self.code(await check.check(altered, signature: signature, expectedChallenge: Self.challenge)) == .failed_SignatureError)
        // SHA-256 references, as Josev sends: outside the profile.
        var sha256 = signature
        sha256.signedInfo.reference[0].digestMethod.algorithm = "http://www.w3.org/2001/04/xmlenc#sha256"
        #expect(Self.code(await check.check(element, signature: sha256, expectedChallenge: Self.challenge)) == .failed_SignatureError)
        // A wrong challenge and a bad signature: the signature is what the SECC answers.
        #expect(Self.code(await check.check(element, signature: forged, expectedChallenge: ShortBinary([UInt8](repeating: 0, count: 16)))) == .failed_SignatureError)
    }

    /// A challenge from another AuthorizationSetup (an earlier session's, replayed) is WARNING_ChallengeInvalid.
    @Test func aReplayedChallengeIsRefused() async throws {
        let earlier = ShortBinary(repeating: 7, count: 16)
        let (element, signature) = try Self.request(Self.contractChain, challenge: earlier, key: .p521(Self.pki.contract.privateKey))
        #expect(Self.code(await Self.check.check(element, signature: signature, expectedChallenge: Self.challenge)) == .warning_ChallengeInvalid)
    }

    @Test func expiredAndNotYetValidContractsAreRefused() async throws {
        let now = Date()
        let cases: [((Date, Date), ResponseCodeType)] = [
            ((now.addingTimeInterval(-20 * 86_400), now.addingTimeInterval(-86_400)), .warning_CertificateExpired),
            ((now.addingTimeInterval(86_400), now.addingTimeInterval(20 * 86_400)), .warning_CertificateNotYetValid),
        ]
        for (validity, expected) in cases {
            let contract = try TestPKI.issue(role: .contract, commonName: "DESWIC123456789", by: Self.pki.moSubCA2, validity: validity)
            let chain = [try contract.certificate.derBytes] + Self.contractChain.dropFirst()
            let (element, signature) = try Self.request(chain, key: .p521(contract.privateKey))
            #expect(Self.code(await Self.check.check(element, signature: signature, expectedChallenge: Self.challenge)) == expected)
        }
        // A Sub-CA that expired makes the chain expired too; checked at a time after it.
        let (element, signature) = try Self.request(Self.contractChain, key: .p521(Self.pki.contract.privateKey))
        let afterSubCA2 = Self.pki.moSubCA2.certificate.notValidAfter.addingTimeInterval(60)
        #expect(Self.code(await Self.check.check(element, signature: signature, expectedChallenge: Self.challenge, now: afterSubCA2))
                == .warning_CertificateExpired)
    }

    @Test func untrustedAndNonConformantChainsAreValidationErrors() async throws {
        // Another PKI's MO: no path to our roots.
        let other = try TestPKI()
        let (foreign, foreignSignature) = try Self.request(try other.contractChain.map { try $0.derBytes }, key: .p521(other.contract.privateKey))
        #expect(Self.code(await Self.check.check(foreign, signature: foreignSignature, expectedChallenge: Self.challenge))
                == .warning_CertificateValidationError)
        // A contract certificate without digitalSignature: the -20 profile refuses it.
        let noSigning = try TestPKI.issue(role: .contract, commonName: "DESWIC123456789", by: Self.pki.moSubCA2,
                                          keyUsage: KeyUsage(keyAgreement: true))
        let (element, signature) = try Self.request([try noSigning.certificate.derBytes] + Self.contractChain.dropFirst(), key: .p521(noSigning.privateKey))
        #expect(Self.code(await Self.check.check(element, signature: signature, expectedChallenge: Self.challenge)) == .warning_CertificateValidationError)
        // A certificate of another role under a trusted root (the SECC's own, DC=CPO) is no contract.
        let (secc, seccSignature) = try Self.request(try Self.pki.seccChain.map { try $0.derBytes }, key: .p521(Self.pki.secc.privateKey))
        guard case .failure(let refusal) = await Self.check.check(secc, signature: seccSignature, expectedChallenge: Self.challenge) else {
            Issue.record("an SECC certificate passed as a contract"); return
        }
        #expect(refusal.responseCode == .warning_CertificateValidationError)
        #expect(refusal.reason.contains("DC=CPO"), "\(refusal)")
        // The chain without the Sub-CA that issued the leaf: no path.
        let (bare, bareSignature) = try Self.request([Self.contractChain[0], Self.contractChain[2]], key: .p521(Self.pki.contract.privateKey))
        #expect(Self.code(await Self.check.check(bare, signature: bareSignature, expectedChallenge: Self.challenge)) == .warning_CertificateValidationError)
    }

    /// Within 14 days of the contract's end the SECC answers OK_CertificateExpiresSoon ([V2G20-2218]).
    @Test func aContractThatExpiresSoonIsSaidSo() async throws {
        let now = Date()
        let contract = try TestPKI.issue(role: .contract, commonName: "DESWIC123456789", by: Self.pki.moSubCA2,
                                         validity: (now.addingTimeInterval(-86_400), now.addingTimeInterval(10 * 86_400)))
        let (element, signature) = try Self.request([try contract.certificate.derBytes] + Self.contractChain.dropFirst(), key: .p521(contract.privateKey))
        #expect(try await Self.check.check(element, signature: signature, expectedChallenge: Self.challenge).get().expiresSoon)
    }

    #if OpenSSL
    @Test func anEd448ContractPasses() async throws {
        let pki = Ed448TLSTests.ed448.pki
        let check = ContractAuthorizationCheck(trustedRootsDER: try pki.roots("v2g-root", "mo-root").der())
        let contract = try #require(pki["contract"])
        let (element, signature) = try Self.request(try pki.chain("contract").der(), key: .ed448(contract.privateKey))
        let verified = try await check.check(element, signature: signature, expectedChallenge: Self.challenge).get()
        #expect(verified.algorithm == .ed448)
        #expect(verified.emaid == "DESWIC123456789")
        // The same request against the P-521 PKI's roots only: untrusted.
        #expect(Self.code(await Self.check.check(element, signature: signature, expectedChallenge: Self.challenge)) == .warning_CertificateValidationError)
    }
    #endif
}
