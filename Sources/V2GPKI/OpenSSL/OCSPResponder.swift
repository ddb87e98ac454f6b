#if OpenSSL
import COpenSSL
import Foundation
import X509

/// Produces OCSP responses (RFC 6960) for the certificates one CA issued, signed by that CA's OCSP
/// signer certificate (a delegated responder: EKU OCSPSigning, issued by the CA) or by the CA
/// itself. The test PKI has a signer for every CA; a charger staples what its CPO's responder gives.
/// Certificates are DER and the key PEM so that one responder serves P-521 and Ed448 PKIs alike.
public struct OCSPResponder: Sendable {
    /// The CA whose certificates this responder answers for (DER).
    public let issuerDER: [UInt8]
    /// The signing certificate (DER): the CA's OCSP signer, or the CA.
    public let signerCertificateDER: [UInt8]
    /// The signing certificate's private key, PEM (SEC 1 or PKCS#8; P-521 or Ed448).
    let signerKeyPEM: String

    public init(issuerDER: [UInt8], signerCertificateDER: [UInt8], signerKeyPEM: String) {
        self.issuerDER = issuerDER
        self.signerCertificateDER = signerCertificateDER
        self.signerKeyPEM = signerKeyPEM
    }

    /// A responder for a P-521 CA and its signer.
    public init(issuer: Certificate, signer: Credential) throws {
        self.init(issuerDER: try issuer.derBytes, signerCertificateDER: try signer.certificate.derBytes,
                  signerKeyPEM: signer.privateKey.pemRepresentation)
    }

    /// A responder for an Ed448 CA and its signer.
    public init(issuer: Ed448Credential, signer: Ed448Credential) throws {
        self.init(issuerDER: issuer.certificateDER, signerCertificateDER: signer.certificateDER,
                  signerKeyPEM: try signer.privateKey.pemRepresentation)
    }

    public func response(for certificate: Certificate, status: OCSPCertificateStatus, now: Date = Date(),
                         validity: TimeInterval = ocspMaximumValidity) throws -> [UInt8] {
        try response(forDER: certificate.derBytes, status: status, now: now, validity: validity)
    }

    /// A DER `OCSPResponse` (status successful) with one SingleResponse for `certificate`:
    /// thisUpdate `now`, nextUpdate `validity` later (at most a week, [V2G20-1021]); the responder
    /// is named by key hash and its certificate included, signed ecdsa-with-SHA512 by a P-521 key
    /// or Ed448 (which hashes internally: no separate digest, RFC 8410).
    public func response(forDER certificate: [UInt8], status: OCSPCertificateStatus, now: Date = Date(),
                         validity: TimeInterval = ocspMaximumValidity) throws -> [UInt8] {
        guard validity > 0, validity <= ocspMaximumValidity else { throw OCSPFailure.validityTooLong(validity) }
        let subject = try OpenSSLX509(der: certificate)
        let issuer = try OpenSSLX509(der: issuerDER)
        let signerCertificate = try OpenSSLX509(der: signerCertificateDER)
        let signerKey = try OpenSSLPrivateKey(pem: signerKeyPEM)
        return try withExtendedLifetime((subject, issuer, signerCertificate, signerKey)) { () throws(OpenSSLFailure) -> [UInt8] in
            guard let basic = OCSP_BASICRESP_new() else { throw .last("OCSP_BASICRESP_new") }
            defer { OCSP_BASICRESP_free(basic) }
            guard let id = OCSP_cert_to_id(EVP_sha1(), subject.x509, issuer.x509) else { throw .last("OCSP_cert_to_id") }
            defer { OCSP_CERTID_free(id) }
            let thisUpdate = ASN1_TIME_set(nil, time_t(now.timeIntervalSince1970))
            let nextUpdate = ASN1_TIME_set(nil, time_t(now.addingTimeInterval(validity).timeIntervalSince1970))
            var revokedAt: UnsafeMutablePointer<ASN1_TIME>?
            defer { ASN1_TIME_free(thisUpdate); ASN1_TIME_free(nextUpdate); ASN1_TIME_free(revokedAt) }
            let code: Int32
            switch status {
            case .good: code = V_OCSP_CERTSTATUS_GOOD
            case .unknown: code = V_OCSP_CERTSTATUS_UNKNOWN
            case .revoked(let date):
                code = V_OCSP_CERTSTATUS_REVOKED
                revokedAt = ASN1_TIME_set(nil, time_t(date.timeIntervalSince1970))
            }
            // Reason "unspecified" is expressed by leaving it out (-1), as RFC 5280 §5.3.1 advises.
            guard OCSP_basic_add1_status(basic, id, code, -1, revokedAt, thisUpdate, nextUpdate) != nil else {
                throw .last("OCSP_basic_add1_status")
            }
            let digest = EVP_PKEY_get_base_id(signerKey.pkey) == EVP_PKEY_ED448 ? nil : EVP_sha512()
            guard OCSP_basic_sign(basic, signerCertificate.x509, signerKey.pkey, digest, nil, UInt(OCSP_RESPID_KEY)) == 1 else {
                throw .last("OCSP_basic_sign")
            }
            guard let response = OCSP_response_create(OCSP_RESPONSE_STATUS_SUCCESSFUL, basic) else { throw .last("OCSP_response_create") }
            defer { OCSP_RESPONSE_free(response) }
            return try OpenSSLDER.encode("i2d_OCSP_RESPONSE") { i2d_OCSP_RESPONSE(response, $0) }
        }
    }
}
#endif
