import Foundation
import Testing
import TestSupport
@testable import V2GPKI
import X509

/// What `CertificateSummary` reads from a certificate (the PnC checks, `v2g trace`'s handshake
/// summary): names, validity and algorithms, the same from swift-certificates (P-521) and
/// from OpenSSL (any key, Ed448 among them).
@Suite(.offPool) struct CertificateSummaryTests {
    @Test func p521Certificate() throws {
        let pki = try TestPKI()
        let summary = try CertificateSummary(der: try pki.secc.certificate.derBytes)
        #expect(summary.subject == "CN=DE*SWI*E1234567,O=swift-iso15118 Test,C=DE,DC=CPO", "\(summary.subject)")
        #expect(summary.issuer == "CN=CPO Sub-CA 2,O=swift-iso15118 Test,C=DE,DC=CPO", "\(summary.issuer)")
        #expect(summary.signatureAlgorithm == "ecdsa-with-SHA512" && summary.keyAlgorithm == "secp521r1")
        #expect(summary.commonName == "DE*SWI*E1234567" && summary.domainComponents == ["CPO"])
        #expect(summary.notBefore < Date() && summary.notAfter > Date())
        #if OpenSSL
        #expect(try CertificateSummary.openSSL(try pki.secc.certificate.derBytes) == summary, "both readers say the same")
        #endif
    }

    #if OpenSSL
    @Test func ed448Certificate() throws {
        let pki = try Ed448TestPKI()
        let summary = try CertificateSummary(der: try #require(pki["contract"]).certificateDER)
        #expect(summary.subject == "CN=DESWIC123456789,O=swift-iso15118 Test,C=DE,DC=MO", "\(summary.subject)")
        #expect(summary.issuer == "CN=MO Sub-CA 2,O=swift-iso15118 Test,C=DE,DC=MO")
        #expect(summary.signatureAlgorithm == "ED448" && summary.keyAlgorithm == "ED448", "\(summary)")
    }
    #endif

    @Test func garbageIsUnreadable() {
        #expect(throws: CertificateSummary.Failure.unreadable) { try CertificateSummary(der: [0x30, 0x03, 0x02, 0x01, 0x00]) }
    }
}
