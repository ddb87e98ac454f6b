#if OpenSSL
import Foundation
import X509

extension PKIFiles {
    /// Writes `ocsp/NAME.ocsp.der`: an OCSP response for certificate `name` with `status`, signed
    /// by the OCSP signer of the CA that issued it, valid from `now` for `validity` (at most a week).
    @discardableResult
    public func writeOCSPResponse(for name: String, status: OCSPCertificateStatus, now: Date = Date(),
                                  validity: TimeInterval = ocspMaximumValidity) throws -> URL {
        let certificate = try certificate(name)
        guard let issuerName = try TestPKI.certificateAuthorityNames.first(where: { try self.certificate($0).subject == certificate.issuer }) else {
            throw Failure.unreadable("the CA that issued \(name).pem")
        }
        let signerName = "ocsp/\(issuerName)-ocsp"
        let signer = Credential(certificate: try self.certificate(signerName), privateKey: try privateKey(signerName), role: .ocspSigner)
        let der = try OCSPResponder(issuer: try self.certificate(issuerName), signer: signer)
            .response(for: certificate, status: status, now: now, validity: validity)
        let url = ocspResponseURL(name)
        try Data(der).write(to: url)
        return url
    }
}
#endif
