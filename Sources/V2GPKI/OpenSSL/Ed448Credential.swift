#if OpenSSL
import COpenSSL
import Foundation

/// An Ed448 certificate (DER: swift-certificates cannot parse Ed448 keys) with its private key.
public struct Ed448Credential: Sendable {
    public let certificateDER: [UInt8]
    public let privateKey: Ed448PrivateKey
    public let role: CertificateRole
    /// The X448 key of an OEM provisioning certificate, whose public half the certificate carries
    /// as its alternate subject public key: Ed448 signs only, so the contract-key envelope agrees
    /// on this key (`ContractKeyEnvelope`, `AlternateSubjectPublicKey`). Nil for other roles.
    public let agreementKey: X448PrivateKey?

    public var certificatePEM: String { PrivateKeyPEM.pem(certificateDER, label: "CERTIFICATE") }

    /// Issues a certificate of `role` for a new Ed448 key, with the -20 profile's extensions
    /// (`CertificateRole`), signed with Ed448 by `issuer` (self-signed when nil), through OpenSSL's
    /// X509 API. `subject` is a list of (attribute, value): DC, C, O, CN.
    public static func issue(role: CertificateRole, subject: [(String, String)], by issuer: Ed448Credential?, now: Date = Date(),
                             validityDays: Int? = nil) throws -> Ed448Credential {
        let key = try Ed448PrivateKey()
        let agreementKey = role == .oemProvisioning ? try X448PrivateKey() : nil
        let notBefore = now.addingTimeInterval(-3600)  // backdated an hour, as the P-521 test PKI
        let notAfter = notBefore.addingTimeInterval(Double(validityDays ?? role.validityDays) * 86_400)
        let der = try OpenSSLCertificateWriter.write(
            role: role, subject: subject, key: try key.evpKey, issuerDER: issuer?.certificateDER,
            issuerKey: try issuer.map { try $0.privateKey.evpKey }, alternateKey: try agreementKey?.evpKey,
            notBefore: notBefore, notAfter: notAfter)
        return Ed448Credential(certificateDER: der, privateKey: key, role: role, agreementKey: agreementKey)
    }
}

/// Builds and signs one X.509 v3 certificate in OpenSSL (what `CertificateIssuer` does with
/// swift-certificates for P-521): serial from the CSPRNG, validity, basic constraints with the
/// role's path length, key usage, extended key usage, subject and authority key identifiers;
/// signed with the issuer's key (for Ed448 without a separate digest, as RFC 8410 has it); an
/// alternate (key-agreement) public key when given.
enum OpenSSLCertificateWriter {
    static func write(role: CertificateRole, subject: [(String, String)], key: OpenSSLPrivateKey, issuerDER: [UInt8]?,
                      issuerKey: OpenSSLPrivateKey?, alternateKey: OpenSSLPrivateKey? = nil, notBefore: Date, notAfter: Date) throws -> [UInt8] {
        guard let x509 = X509_new() else { throw OpenSSLFailure.last("X509_new") }
        defer { X509_free(x509) }
        let issuer = try issuerDER.map { try OpenSSLX509(der: $0) }
        guard X509_set_version(x509, 2) == 1 else { throw OpenSSLFailure.last("X509_set_version") }
        try setSerial(x509)
        guard let name = X509_NAME_new() else { throw OpenSSLFailure.last("X509_NAME_new") }
        defer { X509_NAME_free(name) }
        for (field, value) in subject where X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8, value, -1, -1, 0) != 1 {
            throw OpenSSLFailure.last("X509_NAME_add_entry_by_txt \(field)")
        }
        guard X509_set_subject_name(x509, name) == 1,
              X509_set_issuer_name(x509, issuer.map { X509_get_subject_name($0.x509) } ?? name) == 1 else {
            throw OpenSSLFailure.last("X509_set_issuer_name")
        }
        guard ASN1_TIME_set(X509_getm_notBefore(x509), time_t(notBefore.timeIntervalSince1970)) != nil,
              ASN1_TIME_set(X509_getm_notAfter(x509), time_t(notAfter.timeIntervalSince1970)) != nil else {
            throw OpenSSLFailure.last("ASN1_TIME_set")
        }
        guard X509_set_pubkey(x509, key.pkey) == 1 else { throw OpenSSLFailure.last("X509_set_pubkey") }

        var context = X509V3_CTX()
        X509V3_set_ctx(&context, issuer?.x509 ?? x509, x509, nil, nil, 0)
        for (nid, value) in extensions(role, ed448: EVP_PKEY_get_base_id(key.pkey) == EVP_PKEY_ED448) {
            guard let ext = X509V3_EXT_conf_nid(nil, &context, nid, value) else { throw OpenSSLFailure.last("extension \(value)") }
            defer { X509_EXTENSION_free(ext) }
            guard X509_add_ext(x509, ext, -1) == 1 else { throw OpenSSLFailure.last("X509_add_ext") }
        }
        if let alternateKey { try AlternateSubjectPublicKey.add(alternateKey, to: x509) }
        let signer = issuerKey ?? key
        let digest = EVP_PKEY_get_base_id(signer.pkey) == EVP_PKEY_ED448 ? nil : EVP_sha512()
        guard X509_sign(x509, signer.pkey, digest) > 0 else { throw OpenSSLFailure.last("X509_sign") }
        return try withExtendedLifetime(issuer) { try OpenSSLX509.der(x509) }
    }

    /// A positive 127-bit serial number from the CSPRNG.
    private static func setSerial(_ x509: OpaquePointer) throws {
        guard let number = BN_new() else { throw OpenSSLFailure.last("BN_new") }
        defer { BN_free(number) }
        guard BN_rand(number, 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) == 1,
              BN_to_ASN1_INTEGER(number, X509_get_serialNumber(x509)) != nil else { throw OpenSSLFailure.last("serial number") }
    }

    /// The role's extensions in OpenSSL's configuration syntax. Ed448 keys sign only: their leaves
    /// carry digitalSignature without the keyAgreement a P-521 leaf also has.
    static func extensions(_ role: CertificateRole, ed448: Bool) -> [(Int32, String)] {
        var list: [(Int32, String)] = []
        if role.isCA {
            list.append((NID_basic_constraints, "critical,CA:TRUE" + (role.pathLength.map { ",pathlen:\($0)" } ?? "")))
        } else {
            list.append((NID_basic_constraints, "critical,CA:FALSE"))
        }
        let usage = role.keyUsage
        var bits: [String] = []
        if usage.digitalSignature { bits.append("digitalSignature") }
        if usage.keyAgreement && !ed448 { bits.append("keyAgreement") }
        if usage.keyCertSign { bits.append("keyCertSign") }
        if usage.cRLSign { bits.append("cRLSign") }
        list.append((NID_key_usage, "critical," + bits.joined(separator: ",")))
        switch role {
        case .vehicle: list.append((NID_ext_key_usage, "clientAuth"))
        case .ocspSigner: list.append((NID_ext_key_usage, "OCSPSigning"))
        default: break
        }
        list.append((NID_subject_key_identifier, "hash"))
        list.append((NID_authority_key_identifier, "keyid:always"))
        return list
    }
}
#endif
