#if OpenSSL
import COpenSSL

/// An Ed448 signing key (RFC 8032 §5.2, pure Ed448 with an empty context, as [V2G20] signatures
/// and TLS 1.3's ed448 scheme use it), through OpenSSL's EVP API: 57-byte keys, 114-byte signatures.
public struct Ed448PrivateKey: Sendable {
    public let rawRepresentation: [UInt8]

    /// A new key from OpenSSL's CSPRNG.
    public init() throws(OpenSSLFailure) {
        rawRepresentation = try OpenSSLPrivateKey(generating: EVP_PKEY_ED448).rawPrivateKey
    }

    public init(rawRepresentation: [UInt8]) throws(OpenSSLFailure) {
        _ = try OpenSSLPrivateKey(raw: rawRepresentation, type: EVP_PKEY_ED448)
        self.rawRepresentation = rawRepresentation
    }

    /// From PKCS#8 PEM (`openssl genpkey -algorithm ed448`).
    public init(pemRepresentation: String) throws(OpenSSLFailure) {
        let key = try OpenSSLPrivateKey(pem: pemRepresentation)
        guard EVP_PKEY_get_base_id(key.pkey) == EVP_PKEY_ED448 else {
            throw OpenSSLFailure(operation: "reading an Ed448 key", detail: "the PEM holds another kind of key")
        }
        rawRepresentation = try key.rawPrivateKey
    }

    var evpKey: OpenSSLPrivateKey { get throws(OpenSSLFailure) { try OpenSSLPrivateKey(raw: rawRepresentation, type: EVP_PKEY_ED448) } }

    public var publicKey: Ed448PublicKey {
        get throws(OpenSSLFailure) { Ed448PublicKey(trustedRaw: try evpKey.rawPublicKey) }
    }

    public var pemRepresentation: String { get throws(OpenSSLFailure) { try evpKey.pkcs8PEM } }

    /// The 114-byte signature of `message`.
    public func signature(for message: [UInt8]) throws(OpenSSLFailure) -> [UInt8] {
        let key = try evpKey
        guard let context = EVP_MD_CTX_new() else { throw .last("EVP_MD_CTX_new") }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit(context, nil, nil, nil, key.pkey) == 1 else { throw .last("EVP_DigestSignInit") }
        var length = 0
        guard EVP_DigestSign(context, nil, &length, message, message.count) == 1 else { throw .last("EVP_DigestSign") }
        var signature = [UInt8](repeating: 0, count: length)
        guard EVP_DigestSign(context, &signature, &length, message, message.count) == 1 else { throw .last("EVP_DigestSign") }
        return Array(signature.prefix(length))
    }
}

/// An Ed448 public key: 57 bytes (RFC 8032 §5.2.2).
public struct Ed448PublicKey: Sendable, Equatable {
    public let rawRepresentation: [UInt8]

    /// Checks that the bytes are a point OpenSSL accepts.
    public init(rawRepresentation: [UInt8]) throws(OpenSSLFailure) {
        EVP_PKEY_free(try OpenSSLRawKey.publicKey(rawRepresentation, type: EVP_PKEY_ED448))
        self.rawRepresentation = rawRepresentation
    }

    init(trustedRaw: [UInt8]) { rawRepresentation = trustedRaw }

    /// The subject public key of an Ed448 certificate (DER).
    public init(certificateDER der: [UInt8]) throws(OpenSSLFailure) {
        let certificate = try OpenSSLX509(der: der)
        let raw = try withExtendedLifetime(certificate) { () throws(OpenSSLFailure) -> [UInt8]? in
            guard let key = X509_get0_pubkey(certificate.x509) else { throw .last("X509_get0_pubkey") }
            return try OpenSSLRawKey.rawPublicKey(key, type: EVP_PKEY_ED448)
        }
        guard let raw else { throw OpenSSLFailure(operation: "reading an Ed448 certificate", detail: "its key is not Ed448") }
        rawRepresentation = raw
    }

    /// Whether `signature` is this key's Ed448 signature of `message`. Anything malformed is false.
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        defer { _ = OpenSSLErrorQueue.drain() }
        guard signature.count == 114, let key = try? OpenSSLRawKey.publicKey(rawRepresentation, type: EVP_PKEY_ED448) else { return false }
        defer { EVP_PKEY_free(key) }
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit(context, nil, nil, nil, key) == 1 else { return false }
        return EVP_DigestVerify(context, signature, signature.count, message, message.count) == 1
    }
}
#endif
