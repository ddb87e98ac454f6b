#if OpenSSL
import Foundation

extension PKIFiles {
    /// Writes `ocsp/NAME.ocsp.der`: an OCSP response for certificate `name` with `status`, signed
    /// by the OCSP signer of the CA that issued it (P-521 or Ed448), valid from `now` for `validity` (at most a week).
    @discardableResult
    public func writeOCSPResponse(for name: String, status: OCSPCertificateStatus, now: Date = Date(),
                                  validity: TimeInterval = ocspMaximumValidity) throws -> URL {
        let certificate = try certificateDER(name)
        let responder = try TestPKI.layoutOCSPResponder(
            forIssuerOf: certificate, certificateDER: { try? self.certificateDER($0) }, keyPEM: privateKeyPEM)
        guard let responder else { throw Failure.unreadable("the CA that issued \(name).pem and its OCSP signer") }
        let der = try responder.response(forDER: certificate, status: status, now: now, validity: validity)
        let url = ocspResponseURL(name)
        try Data(der).write(to: url)
        return url
    }
}
#endif
