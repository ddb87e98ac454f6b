#if OpenSSL
import COpenSSL

/// Raw-key operations on an `OpenSSLPrivateKey` / public `EVP_PKEY` (Ed448, X448): the EVP calls
/// the Ed448 and X448 types share.
extension OpenSSLPrivateKey {
    /// A fresh key of `type` (EVP_PKEY_ED448, EVP_PKEY_X448) from OpenSSL's CSPRNG.
    package convenience init(generating type: Int32) throws(OpenSSLFailure) {
        guard let context = EVP_PKEY_CTX_new_id(type, nil) else { throw .last("EVP_PKEY_CTX_new_id") }
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer?
        guard EVP_PKEY_keygen_init(context) == 1, EVP_PKEY_keygen(context, &key) == 1, let key else { throw .last("EVP_PKEY_keygen") }
        self.init(owning: key)
    }

    package convenience init(raw: [UInt8], type: Int32) throws(OpenSSLFailure) {
        guard let key = EVP_PKEY_new_raw_private_key(type, nil, raw, raw.count) else { throw .last("EVP_PKEY_new_raw_private_key") }
        self.init(owning: key)
    }

    package var rawPrivateKey: [UInt8] {
        get throws(OpenSSLFailure) { try OpenSSLRawKey.read("EVP_PKEY_get_raw_private_key") { EVP_PKEY_get_raw_private_key(pkey, $0, $1) } }
    }

    package var rawPublicKey: [UInt8] {
        get throws(OpenSSLFailure) { try OpenSSLRawKey.rawPublicKey(pkey) }
    }

    /// PKCS#8 PEM (`PRIVATE KEY`), as `openssl genpkey` writes it.
    package var pkcs8PEM: String {
        get throws(OpenSSLFailure) {
            guard let bio = BIO_new(BIO_s_mem()) else { throw .last("BIO_new") }
            defer { BIO_free(bio) }
            guard PEM_write_bio_PKCS8PrivateKey(bio, pkey, nil, nil, 0, nil, nil) == 1 else { throw .last("PEM_write_bio_PKCS8PrivateKey") }
            var bytes = [UInt8](repeating: 0, count: v2g_BIO_ctrl_pending(bio))
            let read = BIO_read(bio, &bytes, Int32(bytes.count))
            return String(decoding: bytes.prefix(Int(max(read, 0))), as: UTF8.self)
        }
    }
}

enum OpenSSLRawKey {
    static func read(_ what: String, _ get: (UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<Int>) -> Int32) throws(OpenSSLFailure) -> [UInt8] {
        var length = 0
        guard get(nil, &length) == 1 else { throw .last(what) }
        var bytes = [UInt8](repeating: 0, count: length)
        guard get(&bytes, &length) == 1 else { throw .last(what) }
        return Array(bytes.prefix(length))
    }

    /// The raw public key of any `EVP_PKEY` of a raw-key type (Ed448, X448), or nil when `pkey`
    /// is of another `type`.
    static func rawPublicKey(_ pkey: OpaquePointer, type: Int32) throws(OpenSSLFailure) -> [UInt8]? {
        guard EVP_PKEY_get_base_id(pkey) == type else { return nil }
        return try rawPublicKey(pkey)
    }

    static func rawPublicKey(_ pkey: OpaquePointer) throws(OpenSSLFailure) -> [UInt8] {
        try read("EVP_PKEY_get_raw_public_key") { EVP_PKEY_get_raw_public_key(pkey, $0, $1) }
    }

    /// A public key of `type` from its raw bytes, owned by the caller.
    static func publicKey(_ raw: [UInt8], type: Int32) throws(OpenSSLFailure) -> OpaquePointer {
        guard let key = EVP_PKEY_new_raw_public_key(type, nil, raw, raw.count) else { throw .last("EVP_PKEY_new_raw_public_key") }
        return key
    }
}
#endif
