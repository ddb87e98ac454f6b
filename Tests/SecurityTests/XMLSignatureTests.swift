import EXI
import Crypto
import Foundation
import ISO20Common
import Testing
import TestSupport
import V2GCodec
import V2GPKI
import XMLDSig

/// -20 XML signatures: what we sign (URIs, lengths), forged, tampered and wrong-key inputs with the
/// failure each gets, and OpenSSL's CLI signing and verifying the same bytes (known-answer tests).
@Suite(.offPool) struct XMLSignatureTests {
    static var pki: TestPKI { OpenSSLInteropTests.files.pki }

    /// A PnC authorization as the EVCC signs it: the challenge and the contract chain.
    static func pnc(_ chain: [[UInt8]], challenge: ShortBinary = ShortBinary(0..<16)) -> SignedElement {
        let element = PnC_AReqAuthorizationModeType(
            id: "id1", genChallenge: challenge,
            contractCertificateChain: ContractCertificateChainType(certificate: chain[0], subCertificates: SubCertificatesType(certificate: Array(chain.dropFirst()))))
        return SignedElement(.pnC_AReqAuthorizationMode(element))!  // fixture: the element has an Id
    }
    static var p521Element: SignedElement { pnc(try! pki.contractChain.map { try $0.derBytes }) }  // fixture: our own certificates encode
    static var p521Key: XMLSignatureSigningKey { .p521(pki.contract.privateKey) }
    static var p521Public: XMLSignatureVerifyingKey { .p521(pki.contract.privateKey.publicKey) }

    @Test func p521SignaturesFollowTheProfile() throws {
        let signature = try XMLSignature.sign([Self.p521Element], with: Self.p521Key)
        #expect(signature.signedInfo.canonicalizationMethod.algorithm == "http://www.w3.org/TR/canonical-exi/")
        #expect(signature.signedInfo.signatureMethod.algorithm == "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512")
        let reference = try #require(signature.signedInfo.reference.first)
        #expect(reference.uri == "#id1")
        #expect(reference.digestMethod.algorithm == "http://www.w3.org/2001/04/xmlenc#sha512")
        #expect(reference.transforms?.transform.map(\.algorithm) == ["http://www.w3.org/TR/canonical-exi/"])
        #expect(reference.digestValue == Array(SHA512.hash(data: try SignatureInput.bytesToDigest(Self.p521Element.fragment))))
        #expect(signature.signatureValue.content.count == 132)
        #expect(XMLSignature.verify(signature, covering: [Self.p521Element], with: Self.p521Public) == .success(.ecdsaP521SHA512))
        // The key as the SECC has it: from the contract certificate the EVCC sent.
        let fromCertificate = try XMLSignatureVerifyingKey(certificateDER: try Self.pki.contract.certificate.derBytes)
        #expect(XMLSignature.verify(signature, covering: [Self.p521Element], with: fromCertificate) == .success(.ecdsaP521SHA512))
    }

    /// Each forgery or deviation, and the failure the verifier names.
    @Test func forgedAndTamperedSignaturesAreRefused() throws {
        let element = Self.p521Element
        let signature = try XMLSignature.sign([element], with: Self.p521Key)
        func check(_ s: SignatureType, _ elements: [SignedElement] = [element], key: XMLSignatureVerifyingKey = Self.p521Public) -> Result<XMLSignatureAlgorithm, XMLSignatureFailure> {
            XMLSignature.verify(s, covering: elements, with: key)
        }
        // The element changed after signing (another challenge): its digest no longer matches.
        let other = Self.pnc(try Self.pki.contractChain.map { try $0.derBytes }, challenge: ShortBinary(repeating: 9, count: 16))
        #expect(check(signature, [other]) == .failure(.digestMismatch(id: "id1")))
        // The signature value tampered, or made by another key.
        var tampered = signature
        tampered.signatureValue.content[5] ^= 1
        #expect(check(tampered) == .failure(.invalidSignature))
        #expect(check(signature, key: .p521(P521.Signing.PrivateKey().publicKey)) == .failure(.invalidSignature))
        // The digest in SignedInfo changed to the other element's: the signature no longer covers it.
        var swapped = signature
        swapped.signedInfo.reference[0].digestValue = Array(SHA512.hash(data: try SignatureInput.bytesToDigest(other.fragment)))
        #expect(check(swapped, [other]) == .failure(.invalidSignature))
        // Lengths.
        var short = signature
        short.signatureValue.content.removeLast()
        #expect(check(short) == .failure(.malformedSignatureValue(length: 131)))
        // Algorithms outside the profile: SHA-256 and ECDSA-SHA256 as Josev sends, SHA-1, RFC 9231's Ed448 URI.
        for uri in ["http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256", "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
                    "http://www.w3.org/2021/04/xmldsig-more#eddsa-ed448"] {
            var s = signature
            s.signedInfo.signatureMethod.algorithm = uri
            #expect(check(s) == .failure(.unsupportedAlgorithm(uri)))
        }
        for uri in ["http://www.w3.org/2001/04/xmlenc#sha256", "http://www.w3.org/2000/09/xmldsig#sha1"] {
            var s = signature
            s.signedInfo.reference[0].digestMethod.algorithm = uri
            #expect(check(s) == .failure(.unsupportedAlgorithm(uri)))
        }
        var c14n = signature
        c14n.signedInfo.canonicalizationMethod.algorithm = "http://www.w3.org/2001/10/xml-exc-c14n#"
        #expect(check(c14n) == .failure(.unsupportedCanonicalization("http://www.w3.org/2001/10/xml-exc-c14n#")))
        var transform = signature
        transform.signedInfo.reference[0].transforms = TransformsType(transform: [TransformType(algorithm: "http://www.w3.org/2000/09/xmldsig#base64")])
        #expect(check(transform) == .failure(.unsupportedCanonicalization("http://www.w3.org/2000/09/xmldsig#base64")))
        // References: to an element that is not there; an element left out.
        var elsewhere = signature
        elsewhere.signedInfo.reference[0].uri = "#id2"
        #expect(check(elsewhere) == .failure(.unknownReference(uri: "#id2")))
        var none = signature
        none.signedInfo.reference = []
        #expect(check(none) == .failure(.unreferencedElement(id: "id1")))
        // Two elements with one Id: one Reference cannot cover both.
        #expect(check(signature, [element, other]) == .failure(.unknownReference(uri: "#id1")))
        // A second reference to the same element.
        var twice = signature
        twice.signedInfo.reference.append(signature.signedInfo.reference[0])
        #expect(check(twice) == .failure(.unknownReference(uri: "#id1")))
    }

    /// A P-256 contract certificate (what Josev uses for -20) gives no key the profile accepts.
    @Test func aP256CertificateIsNotAProfileKey() throws {
        let (certificate, _) = try TestPKI.issueP256(role: .contract, commonName: "DEABCC12345678", by: Self.pki.moSubCA2)
        #expect(throws: XMLSignatureFailure.unsupportedKey) { try XMLSignatureVerifyingKey(certificateDER: try certificate.derBytes) }
    }

    /// OpenSSL's CLI signs our SignedInfo fragment and we verify it; we sign and OpenSSL verifies
    /// (r‖s converted to DER and back by swift-crypto).
    @Test(.enabled(if: OpenSSLInteropTests.openssl != nil, "openssl is not installed"))
    func p521KnownAnswersWithOpenSSL() async throws {
        let scratch = try ScratchDirectory("v2g-xmldsig"), dir = scratch.url
        defer { scratch.remove() }
        let ours = try XMLSignature.sign([Self.p521Element], with: Self.p521Key)
        let data = dir.appendingPathComponent("signedinfo.exi")
        try Data(try SignatureInput.bytesToSign(ours.signedInfo)).write(to: data)

        // Theirs → ours.
        let theirs = dir.appendingPathComponent("openssl.sig")
        let (status, text) = try await OpenSSLInteropTests.run(["dgst", "-sha512", "-sign", OpenSSLInteropTests.path("contract.key.pem"), "-out", theirs.path, data.path])
        #expect(status == 0, "\(text)")
        var fromOpenSSL = ours
        fromOpenSSL.signatureValue.content = Array(try P521.Signing.ECDSASignature(derRepresentation: try Data(contentsOf: theirs)).rawRepresentation)
        #expect(fromOpenSSL.signatureValue.content != ours.signatureValue.content)  // ECDSA is randomised: really OpenSSL's
        #expect(XMLSignature.verify(fromOpenSSL, covering: [Self.p521Element], with: Self.p521Public) == .success(.ecdsaP521SHA512))

        // Ours → theirs; and a flipped bit is refused by OpenSSL too.
        let publicKey = dir.appendingPathComponent("contract.pub.pem")
        try Data(Self.pki.contract.privateKey.publicKey.pemRepresentation.utf8).write(to: publicKey)
        for (flip, expected) in [(false, "Verified OK"), (true, "Verification failure")] {
            var raw = ours.signatureValue.content
            if flip { raw[10] ^= 1 }
            let sig = dir.appendingPathComponent("ours.sig")
            try Data(try P521.Signing.ECDSASignature(rawRepresentation: raw).derRepresentation).write(to: sig)
            let (_, out) = try await OpenSSLInteropTests.run(["dgst", "-sha512", "-verify", publicKey.path, "-signature", sig.path, data.path])
            #expect(out.contains(expected), "\(out)")
        }
    }

    #if OpenSSL
    static var ed448: (pki: Ed448TestPKI, dir: URL) { Ed448TLSTests.ed448 }
    static var ed448Element: SignedElement { pnc(try! ed448.pki.chain("contract").der()) }  // fixture: DER chains

    /// FIPS 202 SHAKE256 with 64 bytes of output, for "" and "abc".
    @Test func shake256KnownAnswers() throws {
        #expect(try SHAKE256.hash([], length: 64) == Array(hex: "46b9dd2b0ba88d13233b3feb743eeb243fcd52ea62b81b82b50c27646ed5762fd75dc4ddd8c0f200cb05019d67b592f6fc821c49479ab48640292eacb3b7c4be"))
        #expect(try SHAKE256.hash(Array("abc".utf8), length: 64) == Array(hex: "483366601360a8771c6863080cc4114d8db44530f8f1e1ee4f94ea37e78b5739d5a15bef186a5386c75744c0527e1faa9f8726e462a12a4feb06bd8801e751e4"))
    }

    @Test func ed448SignaturesFollowTheProfile() throws {
        let contract = try #require(Self.ed448.pki["contract"])
        let signature = try XMLSignature.sign([Self.ed448Element], with: .ed448(contract.privateKey))
        #expect(signature.signedInfo.signatureMethod.algorithm == "urn:iso:std:iso:15118:-20:Security:xmldsig#Ed448")
        let reference = try #require(signature.signedInfo.reference.first)
        #expect(reference.digestMethod.algorithm == "urn:iso:std:iso:15118:-20:Security:xmlenc#SHAKE256")
        #expect(reference.digestValue == (try SHAKE256.hash(try SignatureInput.bytesToDigest(Self.ed448Element.fragment), length: 64)))
        #expect(signature.signatureValue.content.count == 114)
        let key = try XMLSignatureVerifyingKey(certificateDER: contract.certificateDER)
        #expect(XMLSignature.verify(signature, covering: [Self.ed448Element], with: key) == .success(.ed448))

        var tampered = signature
        tampered.signatureValue.content[100] ^= 1
        #expect(XMLSignature.verify(tampered, covering: [Self.ed448Element], with: key) == .failure(.invalidSignature))
        #expect(XMLSignature.verify(signature, covering: [Self.ed448Element], with: .ed448(try Ed448PrivateKey().publicKey))
                == .failure(.invalidSignature))
        // Ed448 signed, but the verifier holds a P-521 key (and the other way round).
        #expect(XMLSignature.verify(signature, covering: [Self.ed448Element], with: Self.p521Public) == .failure(.unsupportedKey))
        let p521Signature = try XMLSignature.sign([Self.p521Element], with: Self.p521Key)
        #expect(XMLSignature.verify(p521Signature, covering: [Self.p521Element], with: key) == .failure(.unsupportedKey))
        // SHA-512 with Ed448 (WWCP's pairing) is not the profile's.
        var sha512 = signature
        sha512.signedInfo.reference[0].digestMethod.algorithm = "http://www.w3.org/2001/04/xmlenc#sha512"
        #expect(XMLSignature.verify(sha512, covering: [Self.ed448Element], with: key) == .failure(.unsupportedAlgorithm("http://www.w3.org/2001/04/xmlenc#sha512")))
    }

    /// `openssl pkeyutl -rawin` signs our SignedInfo fragment with the Ed448 contract key and we
    /// verify; it verifies ours (Ed448 is deterministic: both produce the same bytes).
    @Test(.enabled(if: OpenSSLInteropTests.openssl != nil, "openssl is not installed"))
    func ed448KnownAnswersWithOpenSSL() async throws {
        let contract = try #require(Self.ed448.pki["contract"])
        let ours = try XMLSignature.sign([Self.ed448Element], with: .ed448(contract.privateKey))
        let scratch = try ScratchDirectory("v2g-xmldsig448"), dir = scratch.url
        defer { scratch.remove() }
        let data = dir.appendingPathComponent("signedinfo.exi")
        try Data(try SignatureInput.bytesToSign(ours.signedInfo)).write(to: data)
        let keyPath = Self.ed448.dir.appendingPathComponent("contract.key.pem").path
        let theirs = dir.appendingPathComponent("openssl.sig")
        let (status, text) = try await OpenSSLInteropTests.run(["pkeyutl", "-sign", "-rawin", "-inkey", keyPath, "-in", data.path, "-out", theirs.path])
        #expect(status == 0, "\(text)")
        #expect(Array(try Data(contentsOf: theirs)) == ours.signatureValue.content)
        let ours448 = dir.appendingPathComponent("ours.sig")
        try Data(ours.signatureValue.content).write(to: ours448)
        let (_, out) = try await OpenSSLInteropTests.run(["pkeyutl", "-verify", "-rawin", "-inkey", keyPath, "-in", data.path, "-sigfile", ours448.path])
        #expect(out.contains("Signature Verified Successfully"), "\(out)")
    }
    #endif
}
