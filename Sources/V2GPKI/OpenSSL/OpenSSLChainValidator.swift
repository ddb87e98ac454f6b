#if OpenSSL
import COpenSSL
import Foundation
import X509

/// A peer's chain validated by OpenSSL: RFC 5280 path validation (X509_verify_cert with
/// X509_V_FLAG_X509_STRICT and the TLS purpose of the peer's role) to one of the trusted roots,
/// then the -20 rules (`V2G20CertificateRules`) on the path it built. Reads what swift-certificates
/// cannot (Ed448) and verifies P-521 at OpenSSL's speed (about 0.5 ms a signature against 1.2–2.3 ms
/// in swift-crypto), which is most of a -20 handshake. The roots are parsed once.
public final class OpenSSLChainValidator: @unchecked Sendable {
    // @unchecked: the X509_STORE is filled in init and then only read; OpenSSL locks its lookups.
    private let store: OpaquePointer
    public let peer: V2G20CertificatePolicy.Peer

    public init(rootsDER: [[UInt8]], peer: V2G20CertificatePolicy.Peer) throws(OpenSSLFailure) {
        guard let store = X509_STORE_new() else { throw .last("X509_STORE_new") }
        self.store = store
        self.peer = peer
        for der in rootsDER {
            let root = try OpenSSLX509(der: der)
            guard X509_STORE_add_cert(store, root.x509) == 1 else { throw .last("X509_STORE_add_cert") }
        }
    }

    public convenience init(roots: [Certificate], peer: V2G20CertificatePolicy.Peer) throws {
        try self.init(rootsDER: try CertificateList.certificates(roots).der(), peer: peer)
    }

    deinit { X509_STORE_free(store) }

    /// The validated path (DER, leaf to root) of a chain as presented (leaf first), at `time`
    /// (default: now).
    public func validate(_ presented: [[UInt8]], at time: Date? = nil) -> Result<[[UInt8]], ChainValidator.Failure> {
        guard let leafDER = presented.first else { return .failure(.noCertificate) }
        do {
            let leaf = try OpenSSLX509(der: leafDER)
            let intermediates = try presented.dropFirst().map { der throws(OpenSSLFailure) in try OpenSSLX509(der: der) }
            let stack = try OpenSSLCertificateStack(intermediates)
            return withExtendedLifetime((leaf, intermediates, stack)) { validate(leaf: leaf.x509, untrusted: stack.stack, at: time) }
        } catch {
            return .failure(.invalid("unreadable certificate: \(error)"))
        }
    }

    /// The same for certificates OpenSSL holds (the TLS verify callback's).
    package func validate(leaf: OpaquePointer, untrusted: OpaquePointer?, at time: Date? = nil) -> Result<[[UInt8]], ChainValidator.Failure> {
        defer { _ = OpenSSLErrorQueue.drain() }
        guard let context = X509_STORE_CTX_new() else { return .failure(.invalid("X509_STORE_CTX_new failed")) }
        defer { X509_STORE_CTX_free(context) }
        guard X509_STORE_CTX_init(context, store, leaf, untrusted) == 1 else { return .failure(.invalid("X509_STORE_CTX_init failed")) }
        let parameters = X509_STORE_CTX_get0_param(context)
        X509_VERIFY_PARAM_set_flags(parameters, UInt(X509_V_FLAG_X509_STRICT))
        if let time { X509_VERIFY_PARAM_set_time(parameters, time_t(time.timeIntervalSince1970)) }
        switch peer {
        case .evcc: X509_STORE_CTX_set_purpose(context, X509_PURPOSE_SSL_CLIENT)
        case .secc: X509_STORE_CTX_set_purpose(context, X509_PURPOSE_SSL_SERVER)
        case .contract: break  // no TLS purpose: the -20 rules check the key usage
        }
        guard X509_verify_cert(context) == 1 else {
            let code = X509_STORE_CTX_get_error(context)
            let reason = String(cString: X509_verify_cert_error_string(Int(code)))
            return .failure(.invalid("\(reason) (certificate \(X509_STORE_CTX_get_error_depth(context)) of the chain)"))
        }
        guard let built = X509_STORE_CTX_get0_chain(context) else { return .failure(.invalid("no chain was built")) }
        let path = (0..<v2g_sk_X509_num(built)).compactMap { v2g_sk_X509_value(built, $0) }
        if let violation = V2G20CertificateRules.violation(in: path.map(CertificateFacts.init(openSSL:)), peer: peer) {
            return .failure(.invalid(violation))
        }
        do {
            return .success(try path.map { x509 throws(OpenSSLFailure) in try OpenSSLX509.der(x509) })
        } catch {
            return .failure(.invalid("\(error)"))
        }
    }
}

extension CertificateFacts {
    /// The facts of a certificate OpenSSL parsed (it reads Ed448 keys and signatures too).
    package init(openSSL x509: OpaquePointer) {
        let flags = X509_get_extension_flags(x509)
        self.init(name: Self.subject(x509), key: Self.key(x509), signature: Self.signature(x509),
                  digitalSignature: flags & UInt32(EXFLAG_KUSAGE) != 0 ? X509_get_key_usage(x509) & UInt32(KU_DIGITAL_SIGNATURE) != 0 : nil,
                  clientAuth: flags & UInt32(EXFLAG_XKUSAGE) != 0 ? X509_get_extended_key_usage(x509) & UInt32(XKU_SSL_CLIENT) != 0 : nil,
                  isCA: flags & UInt32(EXFLAG_CA) != 0)
    }

    private static func subject(_ x509: OpaquePointer) -> String {
        guard let line = X509_NAME_oneline(X509_get_subject_name(x509), nil, 0) else { return "?" }
        defer { v2g_OPENSSL_free(line) }
        return String(cString: line)
    }

    private static func key(_ x509: OpaquePointer) -> KeyAlgorithm {
        guard let key = X509_get0_pubkey(x509) else { return .other("no public key") }
        switch EVP_PKEY_get_base_id(key) {
        case EVP_PKEY_ED448: return .ed448
        case EVP_PKEY_EC:
            var name = [CChar](repeating: 0, count: 64)
            var length = 0
            guard EVP_PKEY_get_group_name(key, &name, name.count, &length) == 1 else { return .other("an EC key without a named curve") }
            let curve = String(decoding: name.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            return curve == "secp521r1" ? .secp521r1 : .other("an EC key on \(curve)")
        case let id: return .other(String(cString: OBJ_nid2sn(id)))
        }
    }

    private static func signature(_ x509: OpaquePointer) -> SignatureAlgorithm {
        switch X509_get_signature_nid(x509) {
        case NID_ecdsa_with_SHA512: return .ecdsaWithSHA512
        case NID_ED448: return .ed448
        case let id: return .other(String(cString: OBJ_nid2ln(id)))
        }
    }
}
#endif
