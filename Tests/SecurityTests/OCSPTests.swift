#if OpenSSL
import Foundation
import Testing
import TestSupport
import V2GPKI
import V2GTLS
import V2GTLSNIOSSL
import V2GTLSOpenSSL
import X509

/// OCSP responses from the test PKI's responders, checked as the -20 EVCC checks a staple
/// ([V2G20-1240], [V2G20-2409], [V2G20-1021]); cross-checked with `openssl ocsp`.
@Suite(.offPool) struct OCSPResponseTests {
    typealias CLI = OpenSSLInteropTests
    static var pki: TestPKI { CLI.files.pki }
    static var check: OCSPResponseCheck { try! OCSPResponseCheck(trustedRoots: [pki.v2gRoot.certificate]) }  // fixture: encoding our own certificate cannot fail

    static func response(_ status: OCSPCertificateStatus, now: Date = Date(), validity: TimeInterval = ocspMaximumValidity,
                         for certificate: Certificate? = nil) throws -> [UInt8] {
        let responder = try #require(try pki.ocspResponder(forIssuerOf: pki.secc.certificate))
        return try responder.response(for: certificate ?? pki.secc.certificate, status: status, now: now, validity: validity)
    }

    static func checked(_ der: [UInt8], now: Date = Date()) -> Result<ClosedRange<Date>, OCSPFailure> {
        check.check(der, for: pki.secc.certificate, issuer: pki.cpoSubCA2.certificate, chain: Array(pki.seccChain.dropFirst()), now: now)
    }

    @Test func goodResponseIsAccepted() throws {
        let window = try Self.checked(try Self.response(.good)).get()
        #expect(window.upperBound.timeIntervalSince(window.lowerBound) == ocspMaximumValidity)
    }

    @Test func revokedAndUnknownAreRefused() throws {
        let revokedAt = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down) - 86_400)
        #expect(Self.checked(try Self.response(.revoked(at: revokedAt))) == .failure(.revoked(at: revokedAt)))
        #expect(Self.checked(try Self.response(.unknown)) == .failure(.unknownCertificate))
    }

    @Test func expiredAndNotYetValidResponsesAreRefused() throws {
        let eightDaysAgo = Date().addingTimeInterval(-8 * 86_400)
        guard case .failure(.expired) = Self.checked(try Self.response(.good, now: eightDaysAgo)) else {
            Issue.record("an expired OCSP response was accepted"); return
        }
        let tomorrow = Date().addingTimeInterval(86_400)
        guard case .failure(.notYetValid) = Self.checked(try Self.response(.good, now: tomorrow)) else {
            Issue.record("an OCSP response from tomorrow was accepted"); return
        }
    }

    /// [V2G20-1021]: a week at most — the responder will not sign longer.
    @Test func responderRefusesValidityBeyondAWeek() throws {
        #expect(throws: OCSPFailure.validityTooLong(8 * 86_400)) { try Self.response(.good, validity: 8 * 86_400) }
    }

    /// Signed by the OCSP signer of another CA of the same PKI (the MO's), by a responder of an
    /// unrelated PKI, and by the SECC leaf key (a certificate without EKU OCSPSigning).
    @Test func responsesFromTheWrongResponderAreRefused() throws {
        let pki = Self.pki
        let other = try TestPKI()
        let wrongSigners: [(String, OCSPResponder)] = [
            ("MO Sub-CA 2's OCSP signer", try OCSPResponder(issuer: pki.cpoSubCA2.certificate, signer: try #require(pki.ocspSigners["mo-subca2"]))),
            ("an unrelated PKI's CPO signer", try OCSPResponder(issuer: pki.cpoSubCA2.certificate, signer: try #require(other.ocspSigners["cpo-subca2"]))),
            ("the SECC leaf", try OCSPResponder(issuer: pki.cpoSubCA2.certificate, signer: pki.secc)),
        ]
        for (name, responder) in wrongSigners {
            let der = try responder.response(for: pki.secc.certificate, status: .good)
            guard case .failure(.untrustedResponder) = Self.checked(der) else {
                Issue.record("a response signed by \(name) was accepted: \(Self.checked(der))"); continue
            }
        }
    }

    @Test func tamperedResponsesAreRefused() throws {
        var der = try Self.response(.good)
        // The last byte belongs to the responder certificate or the signature: either way the
        // signature check must fail. A flip in the middle changes the signed data.
        for index in [der.count / 2, der.count - 1] {
            der[index] ^= 0x01
            guard case .failure = Self.checked(der) else { Issue.record("a response with byte \(index) flipped was accepted"); return }
            der[index] ^= 0x01
        }
        #expect(throws: Never.self) { try Self.checked(der).get() }
        guard case .failure(.malformed) = Self.checked(Array(der.prefix(40))) else { Issue.record("a truncated response was accepted"); return }
        guard case .failure(.malformed) = Self.checked([0x30, 0x03, 0x0A, 0x01, 0x00]) else { Issue.record("garbage was accepted"); return }
    }

    @Test func aResponseForAnotherCertificateIsRefused() throws {
        let responder = try #require(try Self.pki.ocspResponder(forIssuerOf: Self.pki.cpoSubCA2.certificate))
        let der = try responder.response(for: Self.pki.cpoSubCA2.certificate, status: .good)
        #expect(Self.checked(der) == .failure(.noStatusForCertificate))
    }

    /// OpenSSL's own OCSP client verifies our responses and reads the statuses we wrote.
    @Test(.enabled(if: CLI.openssl != nil, "openssl is not installed"), arguments: [
        (OCSPCertificateStatus.good, "good"), (.revoked(at: Date().addingTimeInterval(-3600)), "revoked"), (.unknown, "unknown"),
    ])
    func opensslReadsOurResponses(status: OCSPCertificateStatus, word: String) async throws {
        let file = CLI.files.dir.appendingPathComponent("secc-\(word).ocsp.der")
        try Data(try Self.response(status)).write(to: file)
        let (_, text) = try await CLI.run(["ocsp", "-respin", file.path, "-issuer", CLI.path("cpo-subca2.pem"), "-cert", CLI.path("secc.pem"),
                                     "-CAfile", CLI.path("v2g-root.pem"), "-verify_other", try CLI.subCAs(["cpo-subca2", "cpo-subca1"]), "-no_nonce"])
        #expect(text.contains("Response verify OK"), "\(text)")
        #expect(text.contains("secc.pem: \(word)"), "\(text)")
    }
}

/// OCSP stapling over the wire: our SECC staples its leaf's response, our EVCC asks for one and
/// refuses a chain whose staple is revoked, expired, from the wrong responder, or missing where the
/// policy requires one; `openssl s_client -status` and `s_server -status_file` as independent peers.
@Suite(.serialized) struct OCSPStaplingTests {
    typealias CLI = OpenSSLInteropTests
    static var pki: TestPKI { CLI.files.pki }

    static func secc(staple: [UInt8]?) -> TLSProfile {
        var profile = OpenSSLBackendTests.cliSECC
        if let staple { profile.ocspResponses = [staple] }
        return profile
    }
    static func evcc(_ policy: TLSProfile.OCSPPolicy) -> TLSProfile {
        var profile = OpenSSLBackendTests.cliEVCC
        profile.ocspPolicy = policy
        return profile
    }

    @Test func aGoodStapleIsAcceptedAndRequiredOnesAreChecked() async throws {
        let good = try OCSPResponseTests.response(.good)
        let o = try await Seam.run(server: Self.secc(staple: good), OpenSSLBackend(), client: Self.evcc(.required), OpenSSLBackend())
        #expect(o.clientRejected == nil)
        #expect(try o.client.get()?.cipherSuite == "TLS_AES_256_GCM_SHA384")
    }

    /// The reject matrix: what the EVCC concludes for each staple.
    @Test func theEVCCRefusesBadStaples() async throws {
        let pki = Self.pki
        let wrongResponder = try OCSPResponder(issuer: pki.cpoSubCA2.certificate, signer: try #require(pki.ocspSigners["mo-subca2"]))
        let cases: [(String, [UInt8]?, TLSProfile.OCSPPolicy, (OCSPFailure) -> Bool)] = [
            ("revoked leaf", try OCSPResponseTests.response(.revoked(at: Date().addingTimeInterval(-60))), .checkWhenStapled,
             { if case .revoked = $0 { true } else { false } }),
            ("expired response", try OCSPResponseTests.response(.good, now: Date().addingTimeInterval(-8 * 86_400)), .checkWhenStapled,
             { if case .expired = $0 { true } else { false } }),
            ("wrong responder", try wrongResponder.response(for: pki.secc.certificate, status: .good), .checkWhenStapled,
             { if case .untrustedResponder = $0 { true } else { false } }),
            ("missing staple where required", nil, .required, { $0 == .missing }),
        ]
        for (name, staple, policy, expected) in cases {
            let o = try await Seam.run(server: Self.secc(staple: staple), OpenSSLBackend(), client: Self.evcc(policy), OpenSSLBackend())
            guard case .revocation(let failure)? = o.clientRejected, expected(failure) else {
                Issue.record("\(name): the EVCC concluded \(String(describing: o.clientRejected))"); continue
            }
            guard case .failure(let error) = o.client else { Issue.record("\(name): the EVCC finished its handshake"); continue }
            #expect(error as? TLSError == .certificateRejected(ChainValidator.Failure.revocation(failure).description)
                    || (error as? TLSError).map { if case .alertSent("bad_certificate_status_response", _) = $0 { true } else { false } } == true,
                    "\(name): \(error)")
            // The SECC heard why: the alert the EVCC sent.
            guard case .failure(let serverError) = o.server else { Issue.record("\(name): the SECC finished its handshake"); continue }
            #expect(serverError as? TLSError == .alertReceived("bad_certificate_status_response"), "\(name): \(serverError)")
        }
    }

    /// A private environment without Plug & Charge may leave status_request unanswered ([V2G20-2398]).
    @Test func aMissingStapleIsAcceptedWhenThePolicyAllowsIt() async throws {
        let o = try await Seam.run(server: Self.secc(staple: nil), OpenSSLBackend(), client: Self.evcc(.checkWhenStapled), OpenSSLBackend())
        #expect(o.clientRejected == nil)
        #expect(try o.client.get() != nil)
    }

    /// swift-nio-ssl cannot ask for a staple: an EVCC that requires one refuses to start on it.
    @Test func swiftNIOSSLRefusesARequiredStaple() throws {
        #expect(throws: TLSError.self) { try NIOSSLBackend().prepare(Self.evcc(.required)) { _ in } }
    }

    /// `openssl s_client -status` sees the response our SECC staples, and OpenSSL verifies it.
    @Test(.enabled(if: CLI.openssl != nil, "openssl is not installed"))
    func opensslClientSeesOurStaple() async throws {
        let listener = try await Seam.serve(Self.secc(staple: try OCSPResponseTests.response(.good)), OpenSSLBackend())
        defer { listener.channel.close(promise: nil) }
        let (text, _) = try await OpenSSLBackendTests.sClient(listener, [
            "-cert", CLI.path("vehicle.pem"), "-key", CLI.path("vehicle.key.pem"), "-cert_chain", try CLI.subCAs(["oem-subca2", "oem-subca1"]),
            "-CAfile", CLI.path("v2g-root.pem"), "-tls1_3", "-status", "-verify_return_error"])
        #expect(text.contains("OCSP Response Status: successful"), "\(text)")
        #expect(text.contains("Cert Status: good"), "\(text)")
    }

    /// Our EVCC against `openssl s_server -status_file`: a good staple passes, a revoked one is refused.
    @Test(.enabled(if: CLI.openssl != nil, "openssl is not installed"))
    func ourEVCCChecksTheOpenSSLServersStaple() async throws {
        for (word, status) in [("good", OCSPCertificateStatus.good), ("revoked", .revoked(at: Date().addingTimeInterval(-60)))] {
            let file = CLI.files.dir.appendingPathComponent("staple-\(word).der")
            try Data(try OCSPResponseTests.response(status)).write(to: file)
            let (server, port) = try await CLI.startServer([
                "-tls1_3", "-cert", CLI.path("secc.pem"), "-key", CLI.path("secc.key.pem"),
                "-cert_chain", try CLI.subCAs(["cpo-subca2", "cpo-subca1"]), "-Verify", "3", "-CAfile", CLI.path("oem-root.pem"),
                "-status_file", file.path,
            ])
            defer { server.stop() }
            let (result, channel) = try await Seam.connect(Self.evcc(.required), OpenSSLBackend(), port: port)
            defer { channel.close(promise: nil) }
            switch (word, result) {
            case ("good", .success): break
            case ("revoked", .failure(let error)):
                #expect("\(error)".contains("revoked") || (error as? TLSError).map { "\($0)".contains("bad_certificate_status_response") } == true, "\(error)")
            default:
                Issue.record("\(word) staple from openssl s_server: \(result)")
            }
        }
    }
}
#endif
