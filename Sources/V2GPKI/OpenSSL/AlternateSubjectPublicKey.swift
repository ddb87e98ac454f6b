#if OpenSSL
import COpenSSL

/// The alternate subject public key of a certificate: the extension subjectAltPublicKeyInfo
/// (OID 2.5.29.72, ITU-T X.509 (2019) §9.8), whose value is a SubjectPublicKeyInfo. -20 has the
/// vehicle agree on the contract-key envelope's X448 key through "the Alternate Subject Public
/// Key" of its OEM provisioning certificate when that certificate is Ed448 (a signing-only key).
/// Which extension the standard's Annex B profile means is not public; this is the X.509 one of
/// that name, non-critical, so validators that do not know it pass over it.
public enum AlternateSubjectPublicKey {
    static let oid = "2.5.29.72"

    public enum Failure: Error, Sendable, Equatable {
        /// The extension is there but holds no X448 key.
        case notX448
    }

    /// The certificate's alternate X448 public key, or nil when it has no such extension.
    public static func x448(inCertificateDER der: [UInt8]) throws -> X448PublicKey? {
        let certificate = try OpenSSLX509(der: der)
        return try withExtendedLifetime(certificate) { () throws -> X448PublicKey? in
            guard let object = OBJ_txt2obj(oid, 1) else { throw OpenSSLFailure.last("OBJ_txt2obj") }
            defer { ASN1_OBJECT_free(object) }
            let index = X509_get_ext_by_OBJ(certificate.x509, object, -1)
            guard index >= 0, let ext = X509_get_ext(certificate.x509, index),
                  let data = X509_EXTENSION_get_data(ext) else { return nil }
            var cursor: UnsafePointer<UInt8>? = UnsafePointer(ASN1_STRING_get0_data(data))
            guard let key = d2i_PUBKEY(nil, &cursor, Int(ASN1_STRING_length(data))) else { throw Failure.notX448 }
            defer { EVP_PKEY_free(key) }
            guard let raw = try OpenSSLRawKey.rawPublicKey(key, type: EVP_PKEY_X448) else { throw Failure.notX448 }
            return try X448PublicKey(rawRepresentation: raw)
        }
    }

    /// Adds `key`'s public half as the extension, non-critical.
    static func add(_ key: OpenSSLPrivateKey, to x509: OpaquePointer) throws {
        let spki = try OpenSSLDER.encode("i2d_PUBKEY") { i2d_PUBKEY(key.pkey, $0) }
        guard let object = OBJ_txt2obj(oid, 1) else { throw OpenSSLFailure.last("OBJ_txt2obj") }
        defer { ASN1_OBJECT_free(object) }
        guard let value = ASN1_OCTET_STRING_new() else { throw OpenSSLFailure.last("ASN1_OCTET_STRING_new") }
        defer { ASN1_OCTET_STRING_free(value) }
        guard ASN1_OCTET_STRING_set(value, spki, Int32(spki.count)) == 1,
              let ext = X509_EXTENSION_create_by_OBJ(nil, object, 0, value) else { throw OpenSSLFailure.last("subjectAltPublicKeyInfo") }
        defer { X509_EXTENSION_free(ext) }
        guard X509_add_ext(x509, ext, -1) == 1 else { throw OpenSSLFailure.last("X509_add_ext") }
    }
}
#endif
