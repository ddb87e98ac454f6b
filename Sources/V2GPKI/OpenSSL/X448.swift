#if OpenSSL
import COpenSSL

/// An X448 key-agreement key (RFC 7748 §5), through OpenSSL's EVP API: 56-byte keys and shared
/// secrets. -20 uses it for the contract-key envelope of certificate installation (the 84-byte
/// X448_EncryptedPrivateKey: the SECC's ephemeral key agrees with the vehicle's).
public struct X448PrivateKey: Sendable {
    public let rawRepresentation: [UInt8]

    public init() throws(OpenSSLFailure) {
        rawRepresentation = try OpenSSLPrivateKey(generating: EVP_PKEY_X448).rawPrivateKey
    }

    public init(rawRepresentation: [UInt8]) throws(OpenSSLFailure) {
        _ = try OpenSSLPrivateKey(raw: rawRepresentation, type: EVP_PKEY_X448)
        self.rawRepresentation = rawRepresentation
    }

    /// From PKCS#8 PEM (`openssl genpkey -algorithm x448`).
    public init(pemRepresentation: String) throws(OpenSSLFailure) {
        let key = try OpenSSLPrivateKey(pem: pemRepresentation)
        guard EVP_PKEY_get_base_id(key.pkey) == EVP_PKEY_X448 else {
            throw OpenSSLFailure(operation: "reading an X448 key", detail: "the PEM holds another kind of key")
        }
        rawRepresentation = try key.rawPrivateKey
    }

    var evpKey: OpenSSLPrivateKey { get throws(OpenSSLFailure) { try OpenSSLPrivateKey(raw: rawRepresentation, type: EVP_PKEY_X448) } }

    public var publicKey: X448PublicKey { get throws(OpenSSLFailure) { X448PublicKey(trustedRaw: try evpKey.rawPublicKey) } }

    public var pemRepresentation: String { get throws(OpenSSLFailure) { try evpKey.pkcs8PEM } }

    /// The 56-byte shared secret with `peer` (OpenSSL refuses the all-zero result of a low-order point).
    public func sharedSecret(with peer: X448PublicKey) throws(OpenSSLFailure) -> [UInt8] {
        let own = try evpKey
        let other = try OpenSSLRawKey.publicKey(peer.rawRepresentation, type: EVP_PKEY_X448)
        defer { EVP_PKEY_free(other) }
        guard let context = EVP_PKEY_CTX_new(own.pkey, nil) else { throw .last("EVP_PKEY_CTX_new") }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_derive_init(context) == 1, EVP_PKEY_derive_set_peer(context, other) == 1 else { throw .last("EVP_PKEY_derive_set_peer") }
        var length = 0
        guard EVP_PKEY_derive(context, nil, &length) == 1 else { throw .last("EVP_PKEY_derive") }
        var secret = [UInt8](repeating: 0, count: length)
        guard EVP_PKEY_derive(context, &secret, &length) == 1 else { throw .last("EVP_PKEY_derive") }
        return Array(secret.prefix(length))
    }
}

/// An X448 public key: 56 bytes.
public struct X448PublicKey: Sendable, Equatable {
    public let rawRepresentation: [UInt8]

    public init(rawRepresentation: [UInt8]) throws(OpenSSLFailure) {
        EVP_PKEY_free(try OpenSSLRawKey.publicKey(rawRepresentation, type: EVP_PKEY_X448))
        self.rawRepresentation = rawRepresentation
    }

    init(trustedRaw: [UInt8]) { rawRepresentation = trustedRaw }
}
#endif
