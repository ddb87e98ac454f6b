#if OpenSSL
import Foundation
import Testing
import TestSupport
import V2GPKI
import V2GTLS
import V2GTLSOpenSSL

/// TLS 1.3 with Ed448 certificates on the OpenSSL backend: the Ed448 test PKI between our SECC and
/// EVCC, mixed with P-521, against `openssl s_client`, and Ed448-only / P-521-only peers.
@Suite(.serialized, .offPool) struct Ed448TLSTests {
    static let ed448: (pki: Ed448TestPKI, dir: URL) = {
        let dir = try! ScratchDirectory.forProcess("v2g-ed448").url  // fixture: the temporary directory is writable
        let pki = try! Ed448TestPKI()  // fixture: generation with the defaults cannot fail
        try! pki.write(to: dir)
        return (pki, dir)
    }()
    static var p521: TestPKI { OpenSSLInteropTests.files.pki }

    static func key(_ name: String) -> TLSPrivateKey {
        .pkcs8PEM(try! ed448.pki[name]!.privateKey.pemRepresentation)  // fixture: the key was just generated
    }

    /// The SECC on the Ed448 chain, trusting both OEM roots (Ed448 and P-521).
    static var ed448SECC: TLSProfile {
        TLSProfile(role: .secc, certificateChain: ed448.pki.chain("secc"), privateKey: key("secc"),
                   trustedRoots: .der(try! ed448.pki.roots("oem-root").der() + CertificateList.certificates([p521.oemRoot.certificate]).der()))
    }
    /// The EVCC on the Ed448 vehicle chain, trusting both V2G roots.
    static var ed448EVCC: TLSProfile {
        TLSProfile(role: .evcc, certificateChain: ed448.pki.chain("vehicle"), privateKey: key("vehicle"),
                   trustedRoots: .der(try! ed448.pki.roots("v2g-root").der() + CertificateList.certificates([p521.v2gRoot.certificate]).der()))
    }
    static var p521SECC: TLSProfile {
        var profile = OpenSSLBackendTests.cliSECC
        profile.trustedRoots = ed448SECC.trustedRoots
        return profile
    }
    static var p521EVCC: TLSProfile {
        var profile = OpenSSLBackendTests.cliEVCC
        profile.trustedRoots = ed448EVCC.trustedRoots
        return profile
    }

    @Test func theEd448ChainsValidateWithOpenSSLAndTheRules() throws {
        let validator = try OpenSSLChainValidator(rootsDER: try Self.ed448.pki.roots("oem-root").der(), peer: .evcc)
        let path = try validator.validate(try Self.ed448.pki.chain("vehicle").der()).get()
        #expect(path.count == 4)
        // swift-certificates cannot read them: the DER form is what carries them.
        #expect(throws: (any Error).self) { try Self.ed448.pki.chain("vehicle").certificates() }
        // The -20 rules still bite: an Ed448 leaf without digitalSignature is refused.
        let subs = Self.ed448.pki.chain("vehicle").count
        #expect(subs == 3)
    }

    /// `openssl verify -x509_strict` accepts the written Ed448 chains.
    @Test(.enabled(if: OpenSSLInteropTests.openssl != nil, "openssl is not installed"), arguments: [("vehicle", "oem-root"), ("secc", "v2g-root"), ("contract", "mo-root"), ("oem-provisioning", "oem-root")])
    func opensslVerifiesTheWrittenChains(leaf: String, root: String) async throws {
        let dir = Self.ed448.dir
        let (status, text) = try await OpenSSLInteropTests.run([
            "verify", "-x509_strict", "-CAfile", dir.appendingPathComponent("\(root).pem").path,
            "-untrusted", dir.appendingPathComponent("\(leaf)-chain.pem").path, dir.appendingPathComponent("\(leaf).pem").path])
        #expect(status == 0 && text.contains(": OK"), "\(text)")
    }

    @Test(arguments: [("Ed448 ↔ Ed448", true, true), ("Ed448 SECC, P-521 EVCC", true, false), ("P-521 SECC, Ed448 EVCC", false, true)])
    func ourSidesNegotiateWithEd448Certificates(name: String, seccEd448: Bool, evccEd448: Bool) async throws {
        let secc = seccEd448 ? Self.ed448SECC : Self.p521SECC
        let evcc = evccEd448 ? Self.ed448EVCC : Self.p521EVCC
        let o = try await Seam.run(server: secc, OpenSSLBackend(), client: evcc, OpenSSLBackend())
        let client = try #require(try o.client.get(), "\(name)")
        let server = try #require(try o.server.get(), "\(name)")
        // Each side read from OpenSSL which scheme the other's CertificateVerify used.
        #expect(client.peerSignatureScheme == (seccEd448 ? "ed448" : "ecdsa_secp521r1_sha512"), "\(name)")
        #expect(server.peerSignatureScheme == (evccEd448 ? "ed448" : "ecdsa_secp521r1_sha512"), "\(name)")
        #expect(client.cipherSuite == "TLS_AES_256_GCM_SHA384")
        #expect(o.serverReceived == Array("ping from the EVCC\n".utf8))
    }

    /// `openssl s_client` as an Ed448-only peer (its vehicle certificate Ed448, offering only
    /// ed448) and as a P-521-only peer, against our SECC on Ed448 and on P-521: it connects where
    /// the algorithms meet and is refused where they do not.
    @Test(.enabled(if: OpenSSLInteropTests.openssl != nil, "openssl is not installed"), arguments: [
        ("ed448", true, true), ("ed448", false, false), ("ecdsa_secp521r1_sha512", false, true), ("ecdsa_secp521r1_sha512", true, false),
    ])
    func signatureAlgorithmOnlyPeers(sigalgs: String, seccEd448: Bool, succeeds: Bool) async throws {
        let listener = try await Seam.serve(seccEd448 ? Self.ed448SECC : Self.p521SECC, OpenSSLBackend())
        defer { listener.channel.close(promise: nil) }
        let clientEd448 = sigalgs == "ed448"
        let dir = clientEd448 ? Self.ed448.dir : OpenSSLInteropTests.files.dir
        let (text, secc) = try await OpenSSLBackendTests.sClient(listener, [
            "-tls1_3", "-sigalgs", sigalgs, "-cert", dir.appendingPathComponent("vehicle.pem").path,
            "-key", dir.appendingPathComponent("vehicle.key.pem").path, "-cert_chain", dir.appendingPathComponent("vehicle-chain.pem").path, "-brief"])
        if succeeds {
            #expect(try secc.get()?.peerSignatureScheme == sigalgs, "\(text)")
            #expect(text.contains("Signature type: \(seccEd448 ? "ed448" : "ECDSA")"), "\(text)")  // what the SECC signed with, as s_client saw it
        } else {
            guard case .failure = secc else { Issue.record("our SECC accepted a client offering only \(sigalgs): \(text)"); return }
        }
    }
    /// OCSP in an Ed448 PKI: each CA's Ed448 OCSP signer signs (Ed448, no separate digest), our
    /// check and `openssl ocsp` verify it, and the staple travels in an Ed448 handshake.
    @Test func ed448ResponsesAreSignedAndChecked() throws {
        let pki = Self.ed448.pki
        let leaf = try #require(pki["secc"]).certificateDER
        let subCA2 = try #require(pki["cpo-subca2"]).certificateDER
        let responder = try #require(try pki.ocspResponder(forIssuerOf: leaf))
        #expect(responder.issuerDER == subCA2)
        let check = OCSPResponseCheck(trustedRootsDER: try pki.roots("v2g-root").der())
        let chain = Array(try pki.chain("secc").der().dropFirst())
        let good = try responder.response(forDER: leaf, status: .good)
        #expect(throws: Never.self) { try check.check(good, forDER: leaf, issuerDER: subCA2, chainDER: chain).get() }
        let revokedAt = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down) - 600)
        let revoked = try responder.response(forDER: leaf, status: .revoked(at: revokedAt))
        #expect(check.check(revoked, forDER: leaf, issuerDER: subCA2, chainDER: chain) == .failure(.revoked(at: revokedAt)))
        // Signed by the P-521 PKI's CPO signer: not this PKI's responder.
        let foreign = try #require(try Self.p521.ocspResponder(forIssuerOf: Self.p521.secc.certificate))
        let forged = try OCSPResponder(issuerDER: subCA2, signerCertificateDER: foreign.signerCertificateDER,
                                       signerKeyPEM: Self.p521.ocspSigners["cpo-subca2"]!.privateKey.pemRepresentation)
            .response(forDER: leaf, status: .good)
        guard case .failure(.untrustedResponder) = check.check(forged, forDER: leaf, issuerDER: subCA2, chainDER: chain) else {
            Issue.record("a response for an Ed448 leaf signed by the P-521 PKI's responder was accepted"); return
        }
    }

    @Test(.enabled(if: OpenSSLInteropTests.openssl != nil, "openssl is not installed"))
    func opensslVerifiesOurEd448Responses() async throws {
        let dir = Self.ed448.dir
        let url = try PKIFiles(directory: dir).writeOCSPResponse(for: "secc", status: .good)
        let (_, text) = try await OpenSSLInteropTests.run([
            "ocsp", "-respin", url.path, "-issuer", dir.appendingPathComponent("cpo-subca2.pem").path,
            "-cert", dir.appendingPathComponent("secc.pem").path, "-CAfile", dir.appendingPathComponent("v2g-root.pem").path,
            "-verify_other", dir.appendingPathComponent("secc-chain.pem").path, "-no_nonce", "-resp_text"])
        #expect(text.contains("Response verify OK"), "\(text)")
        #expect(text.contains("secc.pem: good"), "\(text)")
        #expect(text.contains("Signature Algorithm: ED448"), "\(text)")
    }

    /// Our Ed448 SECC staples, our EVCC requires and checks: good passes, revoked is refused.
    @Test func ed448StaplesTravelInTheHandshake() async throws {
        for (word, status) in [("good", OCSPCertificateStatus.good), ("revoked", .revoked(at: Date().addingTimeInterval(-60)))] {
            var secc = Self.ed448SECC
            secc.ocspResponses = try Self.ed448.pki.seccOCSPResponses(leafStatus: status)
            var evcc = Self.ed448EVCC
            evcc.ocspPolicy = .required
            let o = try await Seam.run(server: secc, OpenSSLBackend(), client: evcc, OpenSSLBackend())
            switch (word, o.clientRejected) {
            case ("good", nil): #expect(try o.client.get()?.peerSignatureScheme == "ed448")
            case ("revoked", .revocation(.revoked)?):
                guard case .failure = o.client else { Issue.record("the EVCC finished a handshake with a revoked staple"); continue }
            default: Issue.record("\(word) Ed448 staple: the EVCC concluded \(String(describing: o.clientRejected))")
            }
        }
    }
    /// The Ed448 OEM provisioning certificate carries an X448 key for the contract-key envelope
    /// as its alternate subject public key; a P-521 certificate (which agrees with its own key) has none.
    @Test func theOEMProvisioningCertificateCarriesItsX448Key() throws {
        let oem = try #require(Self.ed448.pki["oem-provisioning"])
        let agreementKey = try #require(oem.agreementKey)
        let alternate = try #require(try AlternateSubjectPublicKey.x448(inCertificateDER: oem.certificateDER))
        #expect(alternate == (try agreementKey.publicKey))
        #expect(try AlternateSubjectPublicKey.x448(inCertificateDER: try #require(Self.ed448.pki["vehicle"]).certificateDER) == nil)
        #expect(try AlternateSubjectPublicKey.x448(inCertificateDER: try Self.p521.oemProvisioning.certificate.derBytes) == nil)
        // The CPS seals to the certificate's key; the vehicle opens with the key it keeps.
        let contract = try X448PrivateKey().rawRepresentation
        let binding = ContractKeyEnvelope.Binding(pcid: "WMIV1234567890ABCD", contractSubjectKeyIdentifier: [1, 2, 3])
        let envelope = try ContractKeyEnvelope.seal(x448ContractKey: contract, to: alternate, binding: binding)
        let stored = try X448PrivateKey(pemRepresentation: try String(contentsOf: Self.ed448.dir.appendingPathComponent("oem-provisioning.x448.key.pem"), encoding: .utf8))
        #expect(try envelope.open(with: stored, binding: binding) { $0 == contract } == contract)
    }

    @Test(.enabled(if: OpenSSLInteropTests.openssl != nil, "openssl is not installed"))
    func opensslShowsTheAlternateKeyExtension() async throws {
        let (_, text) = try await OpenSSLInteropTests.run(["x509", "-noout", "-text", "-in", Self.ed448.dir.appendingPathComponent("oem-provisioning.pem").path])
        #expect(text.contains("2.5.29.72") || text.contains("Subject Alternative Public Key"), "\(text)")
        #expect(text.contains("Public Key Algorithm: ED448"), "\(text)")
    }
}
#endif
