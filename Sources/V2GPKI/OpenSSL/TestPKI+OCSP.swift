import Foundation
import X509

#if OpenSSL
extension TestPKI {
    /// The responder for the certificates of the CA that issued `certificate`: that CA's OCSP signer.
    public func ocspResponder(forIssuerOf certificate: Certificate) -> OCSPResponder? {
        guard let (name, ca) = certificateAuthorities.first(where: { $0.credential.certificate.subject == certificate.issuer }),
              let signer = ocspSigners[name] else { return nil }
        return OCSPResponder(issuer: ca.certificate, signer: signer)
    }

    /// OCSP responses for the SECC chain as a charger staples them, leaf first: the leaf with
    /// `leafStatus`, the Sub-CAs good.
    public func seccOCSPResponses(leafStatus: OCSPCertificateStatus = .good, now: Date = Date()) throws -> [[UInt8]] {
        try seccChain.enumerated().map { index, certificate in
            guard let responder = ocspResponder(forIssuerOf: certificate) else { throw OCSPFailure.noStatusForCertificate }
            return try responder.response(for: certificate, status: index == 0 ? leafStatus : .good, now: now)
        }
    }
}
#else
extension TestPKI {
    /// OCSP needs the OpenSSL trait: this build has none.
    public func seccOCSPResponses(leafStatus: OCSPCertificateStatus = .good, now: Date = Date()) throws -> [[UInt8]] {
        throw OCSPFailure.unavailable
    }
}
#endif
