#if OpenSSL
import COpenSSL
import Foundation

extension CertificateSummary {
    /// The summary as OpenSSL reads it (any key type).
    static func openSSL(_ der: [UInt8]) throws -> CertificateSummary {
        let certificate = try OpenSSLX509(der: der)
        return try withExtendedLifetime(certificate) {
            guard let notBefore = X509_get0_notBefore(certificate.x509).flatMap(OpenSSLX509.date),
                  let notAfter = X509_get0_notAfter(certificate.x509).flatMap(OpenSSLX509.date) else { throw Failure.unreadable }
            let name = X509_get_subject_name(certificate.x509)
            /// Every value of attribute `nid` in the subject, in order.
            func values(_ nid: Int32) -> [String] {
                var found: [String] = []
                var index = X509_NAME_get_index_by_NID(name, nid, -1)
                while index >= 0 {
                    if let entry = X509_NAME_get_entry(name, index), let data = X509_NAME_ENTRY_get_data(entry) {
                        var utf8: UnsafeMutablePointer<UInt8>?
                        let length = ASN1_STRING_to_UTF8(&utf8, data)
                        if length >= 0, let utf8 {
                            found.append(String(decoding: UnsafeBufferPointer(start: utf8, count: Int(length)), as: UTF8.self))
                            v2g_OPENSSL_free(utf8)
                        }
                    }
                    index = X509_NAME_get_index_by_NID(name, nid, index)
                }
                return found
            }
            let commonName = values(NID_commonName).last
            var ski: [UInt8]?
            if let id = X509_get0_subject_key_id(certificate.x509), let bytes = ASN1_STRING_get0_data(id) {
                ski = Array(UnsafeBufferPointer(start: bytes, count: Int(ASN1_STRING_length(id))))
            }
            return CertificateSummary(notBefore: notBefore, notAfter: notAfter, commonName: commonName, subjectKeyIdentifier: ski,
                                      domainComponents: values(NID_domainComponent))
        }
    }
}
#endif
