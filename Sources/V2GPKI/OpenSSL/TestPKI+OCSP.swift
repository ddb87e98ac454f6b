import Foundation
import X509

#if OpenSSL
import COpenSSL

extension TestPKI {
    /// The responder for the certificates of the CA that issued `certificate` (DER, any key type),
    /// in a PKI laid out as `TestPKI.layout`: that CA, found by OpenSSL's issuer check (name, key
    /// identifiers, key usage), and its OCSP signer `ocsp/CA-ocsp`. `certificateDER` and `keyPEM`
    /// read a file stem of the layout; the test PKIs and `PKIFiles` share this one lookup.
    static func layoutOCSPResponder(forIssuerOf certificate: [UInt8], certificateDER: (String) throws -> [UInt8]?,
                                    keyPEM: (String) throws -> String) throws -> OCSPResponder? {
        let subject = try OpenSSLX509(der: certificate)
        for name in certificateAuthorityNames {
            guard let caDER = try certificateDER(name) else { continue }
            let ca = try OpenSSLX509(der: caDER)
            guard X509_check_issued(ca.x509, subject.x509) == X509_V_OK else { continue }
            let signer = "ocsp/\(name)-ocsp"
            guard let signerDER = try certificateDER(signer) else { return nil }
            return OCSPResponder(issuerDER: caDER, signerCertificateDER: signerDER, signerKeyPEM: try keyPEM(signer))
        }
        return nil
    }

    /// OCSP responses for a chain as a charger staples them, leaf first: the leaf with
    /// `leafStatus`, the Sub-CAs good.
    static func chainOCSPResponses(_ chain: [[UInt8]], leafStatus: OCSPCertificateStatus, now: Date,
                                   responder: ([UInt8]) throws -> OCSPResponder?) throws -> [[UInt8]] {
        try chain.enumerated().map { index, certificate in
            guard let responder = try responder(certificate) else { throw OCSPFailure.noStatusForCertificate }
            return try responder.response(forDER: certificate, status: index == 0 ? leafStatus : .good, now: now)
        }
    }

    /// The responder for the certificates of the CA that issued `certificate`: that CA's OCSP signer.
    public func ocspResponder(forIssuerOf certificate: Certificate) throws -> OCSPResponder? {
        try ocspResponder(forIssuerOf: try certificate.derBytes)
    }

    func ocspResponder(forIssuerOf certificate: [UInt8]) throws -> OCSPResponder? {
        let byName = Dictionary(uniqueKeysWithValues: files.map { ($0.name, $0.credential) })
        return try Self.layoutOCSPResponder(forIssuerOf: certificate, certificateDER: { try byName[$0]?.certificate.derBytes },
                                            keyPEM: { byName[$0]?.privateKey.pemRepresentation ?? "" })
    }

    /// OCSP responses for the SECC chain as a charger staples them, leaf first: the leaf with
    /// `leafStatus`, the Sub-CAs good.
    public func seccOCSPResponses(leafStatus: OCSPCertificateStatus = .good, now: Date = Date()) throws -> [[UInt8]] {
        try Self.chainOCSPResponses(try seccChain.map { try $0.derBytes }, leafStatus: leafStatus, now: now,
                                    responder: ocspResponder(forIssuerOf:))
    }
}

extension Ed448TestPKI {
    /// The responder for the certificates of the CA that issued `certificate` (DER): that CA's
    /// Ed448 OCSP signer, signing with Ed448.
    public func ocspResponder(forIssuerOf certificate: [UInt8]) throws -> OCSPResponder? {
        try TestPKI.layoutOCSPResponder(forIssuerOf: certificate, certificateDER: { credentials[$0]?.certificateDER },
                                        keyPEM: { try credentials[$0]?.privateKey.pemRepresentation ?? "" })
    }

    /// OCSP responses for the SECC chain, leaf first: the leaf with `leafStatus`, the Sub-CAs good.
    public func seccOCSPResponses(leafStatus: OCSPCertificateStatus = .good, now: Date = Date()) throws -> [[UInt8]] {
        try TestPKI.chainOCSPResponses(try chain("secc").der(), leafStatus: leafStatus, now: now, responder: ocspResponder(forIssuerOf:))
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
