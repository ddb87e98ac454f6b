#if OpenSSL
import Crypto
import Foundation
import Testing
import TestSupport
import V2GPKI
import V2GTLS
import V2GTLSOpenSSL
import X509

/// The OpenSSL validator (OpenSSL's RFC 5280 path validation plus the -20 rules) against the
/// swift-certificates one on the same chains: both accept the test PKI's chains with the same path,
/// both refuse every chain of the reject matrix, and the OpenSSL SECC refuses them in a handshake.
@Suite(.offPool) struct OpenSSLChainValidatorTests {
    static var pki: TestPKI { OpenSSLBackendTests.pki }

    static func der(_ chain: [Certificate]) throws -> [[UInt8]] {
        try CertificateList.certificates(chain).der()
    }

    static func validators(peer: V2G20CertificatePolicy.Peer, roots: [Certificate]) throws -> (ChainValidator, OpenSSLChainValidator) {
        (ChainValidator(roots: roots, peer: peer), try OpenSSLChainValidator(roots: roots, peer: peer))
    }

    @Test func bothAcceptTheTestPKIChainsWithTheSamePath() async throws {
        for (chain, peer, roots) in [(Self.pki.vehicleChain, V2G20CertificatePolicy.Peer.evcc, [Self.pki.oemRoot.certificate, Self.pki.v2gRoot.certificate]),
                                     (Self.pki.seccChain, .secc, [Self.pki.v2gRoot.certificate])] {
            let (swift, openSSL) = try Self.validators(peer: peer, roots: roots)
            let expected = try Self.der(try await swift.validate(chain).get())
            #expect(try openSSL.validate(try Self.der(chain)).get() == expected)
        }
    }

    /// Each bad vehicle chain: (name, chain, what the OpenSSL refusal must mention).
    static func rejectMatrix() throws -> [(String, [Certificate], [String])] {
        let pki = Self.pki
        let subs = [pki.oemSubCA2.certificate, pki.oemSubCA1.certificate]
        let past = Date().addingTimeInterval(-10 * 86_400)
        let expired = try TestPKI.issue(role: .vehicle, commonName: "WMIV1234567890EXPIRED", by: pki.oemSubCA2, validity: (past, past.addingTimeInterval(86_400)))
        let future = Date().addingTimeInterval(10 * 86_400)
        let notYet = try TestPKI.issue(role: .vehicle, commonName: "WMIV1234567890FUTURE", by: pki.oemSubCA2, validity: (future, future.addingTimeInterval(86_400)))
        let wrongKU = try TestPKI.issue(role: .vehicle, commonName: "WMIV1234567890WRONGKU", by: pki.oemSubCA2, keyUsage: KeyUsage(keyAgreement: true))
        let extraCA = try TestPKI.issue(role: .subCA2, commonName: "Rogue Sub-CA 3", by: pki.oemSubCA2)
        let rogue = try TestPKI.issue(role: .vehicle, commonName: "WMIV1234567890ROGUE", by: extraCA)
        let (p256, _) = try TestPKI.issueP256(role: .vehicle, commonName: "WMIV1234567890P256", by: pki.oemSubCA2)
        let stranger = try TestPKI()
        let wrongEKU = try TestPKI.issue(role: .ocspSigner, commonName: "WMIV1234567890OCSPEKU", by: pki.oemSubCA2,
                                         keyUsage: KeyUsage(digitalSignature: true, keyAgreement: true))
        return [
            ("expired leaf", [expired.certificate] + subs, ["expired"]),
            ("leaf not yet valid", [notYet.certificate] + subs, ["not yet valid"]),
            ("leaf without digitalSignature", [wrongKU.certificate] + subs, ["digitalSignature", "purpose"]),
            ("path length exceeded", [rogue.certificate, extraCA.certificate] + subs, ["path length"]),
            ("P-256 leaf", [p256] + subs, ["secp521r1"]),
            ("unknown root", stranger.vehicleChain, ["issuer certificate", "unable to get"]),
            ("leaf whose EKU is OCSPSigning only", [wrongEKU.certificate] + subs, ["purpose", "clientAuth"]),
            ("a CA as leaf", subs, ["CA", "purpose"]),
            ("no certificate", [], []),
        ]
    }

    @Test func bothRefuseTheRejectMatrix() async throws {
        let (swift, openSSL) = try Self.validators(peer: .evcc, roots: [Self.pki.oemRoot.certificate, Self.pki.v2gRoot.certificate])
        for (name, chain, words) in try Self.rejectMatrix() {
            guard case .failure = await swift.validate(chain) else { Issue.record("swift-certificates accepted: \(name)"); continue }
            guard case .failure(let failure) = openSSL.validate(try Self.der(chain)) else { Issue.record("OpenSSL accepted: \(name)"); continue }
            if !words.isEmpty {
                #expect(words.contains { failure.description.contains($0) }, "\(name): \(failure)")
            }
        }
    }

    /// The same chains presented by our OpenSSL EVCC (which loads any certificate) to our OpenSSL
    /// SECC: refused in the handshake, the SECC naming why.
    @Test func theOpenSSLSECCRefusesThemInAHandshake() async throws {
        let pki = Self.pki
        let expiredPast = Date().addingTimeInterval(-10 * 86_400)
        let expired = try TestPKI.issue(role: .vehicle, commonName: "WMIV1234567890EXPIRED", by: pki.oemSubCA2,
                                        validity: (expiredPast, expiredPast.addingTimeInterval(86_400)))
        let wrongKU = try TestPKI.issue(role: .vehicle, commonName: "WMIV1234567890WRONGKU", by: pki.oemSubCA2, keyUsage: KeyUsage(keyAgreement: true))
        let extraCA = try TestPKI.issue(role: .subCA2, commonName: "Rogue Sub-CA 3", by: pki.oemSubCA2)
        let rogue = try TestPKI.issue(role: .vehicle, commonName: "WMIV1234567890ROGUE", by: extraCA)
        let subs = [pki.oemSubCA2.certificate, pki.oemSubCA1.certificate]
        for (name, leaf, chain) in [("expired leaf", expired, [expired.certificate] + subs),
                                    ("leaf without digitalSignature", wrongKU, [wrongKU.certificate] + subs),
                                    ("path length exceeded", rogue, [rogue.certificate, extraCA.certificate] + subs)] {
            let evcc = TLSProfile(role: .evcc, certificateChain: chain, privateKey: leaf.privateKey, trustedRoots: [pki.v2gRoot.certificate])
            let o = try await Seam.run(server: OpenSSLBackendTests.secc, OpenSSLBackend(), client: evcc, OpenSSLBackend())
            #expect(o.serverRejected != nil, "\(name): the SECC accepted it")
            guard case .failure = o.server else { Issue.record("\(name): the SECC finished its handshake"); continue }
        }
    }
}
#endif
