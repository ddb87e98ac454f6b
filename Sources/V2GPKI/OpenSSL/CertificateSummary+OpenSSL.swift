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
            /// A name entry's value as UTF-8.
            func text(_ entry: OpaquePointer?) -> String? {
                guard let entry, let data = X509_NAME_ENTRY_get_data(entry) else { return nil }
                var utf8: UnsafeMutablePointer<UInt8>?
                let length = ASN1_STRING_to_UTF8(&utf8, data)
                guard length >= 0, let utf8 else { return nil }
                defer { v2g_OPENSSL_free(utf8) }
                return String(decoding: UnsafeBufferPointer(start: utf8, count: Int(length)), as: UTF8.self)
            }
            /// RFC 4514 order: the last attribute first, as swift-certificates prints a name.
            func rfc4514(_ name: OpaquePointer?) -> String {
                let count = X509_NAME_entry_count(name)
                return stride(from: count - 1, through: 0, by: -1).compactMap { index -> String? in
                    guard let entry = X509_NAME_get_entry(name, index), let value = text(entry),
                          let short = OBJ_nid2sn(OBJ_obj2nid(X509_NAME_ENTRY_get_object(entry))) else { return nil }
                    return "\(String(cString: short))=\(value)"
                }.joined(separator: ",")
            }
            /// Every value of attribute `nid` in the subject, in order.
            func values(_ nid: Int32) -> [String] {
                var found: [String] = []
                var index = X509_NAME_get_index_by_NID(name, nid, -1)
                while index >= 0 {
                    if let value = text(X509_NAME_get_entry(name, index)) { found.append(value) }
                    index = X509_NAME_get_index_by_NID(name, nid, index)
                }
                return found
            }
            let commonName = values(NID_commonName).last
            var ski: [UInt8]?
            if let id = X509_get0_subject_key_id(certificate.x509), let bytes = ASN1_STRING_get0_data(id) {
                ski = Array(UnsafeBufferPointer(start: bytes, count: Int(ASN1_STRING_length(id))))
            }
            let signature = OBJ_nid2sn(X509_get_signature_nid(certificate.x509)).map { String(cString: $0) } ?? "unknown"
            var key = "unknown"
            if let pkey = X509_get0_pubkey(certificate.x509) {
                var group = [CChar](repeating: 0, count: 64)
                var length = 0
                if EVP_PKEY_get_base_id(pkey) == EVP_PKEY_EC, EVP_PKEY_get_group_name(pkey, &group, group.count, &length) == 1 {
                    key = String(decoding: group.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
                } else if let short = OBJ_nid2sn(EVP_PKEY_get_base_id(pkey)) {
                    key = String(cString: short)
                }
            }
            return CertificateSummary(notBefore: notBefore, notAfter: notAfter, commonName: commonName, subjectKeyIdentifier: ski,
                                      domainComponents: values(NID_domainComponent), subject: rfc4514(name),
                                      issuer: rfc4514(X509_get_issuer_name(certificate.x509)), signatureAlgorithm: signature, keyAlgorithm: key)
        }
    }
}
#endif
