#if OpenSSL
import COpenSSL
import NIOCore
import V2GPKI
import V2GTLS
import X509

/// One TLS connection in OpenSSL, over memory BIOs: the channel handler feeds it the bytes that
/// arrived and sends what it drains; OpenSSL never touches a socket. Used on one event loop only.
final class OpenSSLConnection {
    let context: OpenSSLContext
    let ssl: OpaquePointer
    private let network: OpaquePointer   // read BIO: bytes from the peer
    private let outgoing: OpaquePointer  // write BIO: bytes for the peer
    /// The peer's validated path, DER, leaf to root: set by the verification callback.
    var verifiedChain: [[UInt8]]?
    var rejection: ChainValidator.Failure?
    /// The last fatal alert OpenSSL sent, for the error.
    var sentAlert: String?
    var receivedAlert: String?

    enum Step {
        case done
        case wantRead
        case closed
        case failed(TLSError)
    }

    init(context: OpenSSLContext) throws(TLSError) {
        guard let ssl = SSL_new(context.ctx) else { throw OpenSSLError.last("SSL_new") }
        guard let network = BIO_new(BIO_s_mem()), let outgoing = BIO_new(BIO_s_mem()) else {
            SSL_free(ssl)
            throw OpenSSLError.last("BIO_new")
        }
        self.context = context
        self.ssl = ssl
        self.network = network
        self.outgoing = outgoing
        SSL_set_bio(ssl, network, outgoing)  // the SSL owns both BIOs from here on
        if context.profile.role == .secc { SSL_set_accept_state(ssl) } else { SSL_set_connect_state(ssl) }
        _ = v2g_SSL_set_app_data(ssl, Unmanaged.passUnretained(self).toOpaque())
        SSL_set_info_callback(ssl, openSSLInfo)
    }

    deinit { SSL_free(ssl) }

    /// The connection an OpenSSL callback is about.
    static func of(_ ssl: OpaquePointer) -> OpenSSLConnection? {
        v2g_SSL_get_app_data(ssl).map { Unmanaged<OpenSSLConnection>.fromOpaque($0).takeUnretainedValue() }
    }

    /// Bytes from the peer.
    func feed(_ buffer: ByteBuffer) {
        buffer.withUnsafeReadableBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = BIO_write(network, raw.baseAddress! + offset, Int32(min(raw.count - offset, Int(Int32.max))))
                guard written > 0 else { return }
                offset += Int(written)
            }
        }
    }

    /// Bytes for the peer, if OpenSSL wrote any.
    func drain(_ allocator: ByteBufferAllocator) -> ByteBuffer? {
        let pending = v2g_BIO_ctrl_pending(outgoing)
        guard pending > 0 else { return nil }
        var buffer = allocator.buffer(capacity: pending)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: pending) { raw in
            Int(max(0, BIO_read(outgoing, raw.baseAddress, Int32(pending))))
        }
        return buffer
    }

    func handshake() -> Step { step(SSL_do_handshake(ssl)) }

    /// Decrypted application data, as much as has arrived.
    func read(into buffer: inout ByteBuffer) -> Step {
        while true {
            var result: Int32 = 0
            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 16_384) { raw in
                result = SSL_read(ssl, raw.baseAddress, Int32(raw.count))
                return Int(max(0, result))
            }
            if result <= 0 { return step(result) }
        }
    }

    func write(_ buffer: ByteBuffer) -> Step {
        guard buffer.readableBytes > 0 else { return .done }
        let result = buffer.withUnsafeReadableBytes { raw in SSL_write(ssl, raw.baseAddress, Int32(raw.count)) }
        return result > 0 ? .done : step(result)
    }

    /// close_notify.
    func shutdown() { _ = SSL_shutdown(ssl) }

    /// What the handshake agreed on, read from OpenSSL.
    var negotiated: TLSNegotiated {
        let version = String(cString: SSL_get_version(ssl))
        let suite = SSL_get_current_cipher(ssl).flatMap { SSL_CIPHER_standard_name($0) }.map { String(cString: $0) } ?? "none"
        let groupID = v2g_SSL_get_negotiated_group(ssl)
        let group = SSL_group_to_name(ssl, groupID).map { String(cString: $0) } ?? "group \(groupID)"
        var nid: Int32 = 0
        let scheme = v2g_SSL_get_peer_signature_type_nid(ssl, &nid) == 1 ? Self.signatureScheme(nid: nid, ssl: ssl) : "none"
        return TLSNegotiated(version: version, cipherSuite: suite, group: Self.groupName(group), peerSignatureScheme: scheme)
    }

    /// OpenSSL's group names as TLS names them (P-521 is secp521r1, X448 is x448).
    static func groupName(_ name: String) -> String {
        switch name {
        case "P-521", "secp521r1": "secp521r1"
        case "X448", "x448": "x448"
        case "P-256", "prime256v1", "secp256r1": "secp256r1"
        case "X25519", "x25519": "x25519"
        default: name
        }
    }

    /// The peer's signature scheme by TLS name: ECDSA with the hash OpenSSL reports, named by the
    /// peer key's curve; Ed448 by its NID.
    static func signatureScheme(nid: Int32, ssl: OpaquePointer) -> String {
        if nid == NID_ED448 { return "ed448" }
        if nid == NID_ED25519 { return "ed25519" }
        var hash: Int32 = 0
        _ = v2g_SSL_get_peer_signature_nid(ssl, &hash)
        let hashName = String(String(cString: OBJ_nid2sn(hash)).lowercased().filter { $0 != "-" })
        if nid == EVP_PKEY_EC {
            switch hashName {
            case "sha512": return "ecdsa_secp521r1_sha512"
            case "sha384": return "ecdsa_secp384r1_sha384"
            case "sha256": return "ecdsa_secp256r1_sha256"
            default: return "ecdsa_\(hashName)"
            }
        }
        return "\(String(cString: OBJ_nid2sn(nid)))_\(hashName)"
    }

    private func step(_ result: Int32) -> Step {
        if result > 0 { return .done }
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE: return .wantRead
        case SSL_ERROR_ZERO_RETURN: return .closed
        default:
            let (text, alertInQueue) = OpenSSLError.drain()
            if let rejection { return .failed(.certificateRejected(rejection.description)) }
            if let alert = receivedAlert ?? alertInQueue { return .failed(.alertReceived(alert)) }
            if let alert = sentAlert { return .failed(.alertSent(alert, reason: text)) }
            return .failed(text.contains("wrong version number") || text.contains("record layer") ? .protocolViolation(text) : .library(text))
        }
    }
}

/// Alerts as they pass (SSL_set_info_callback): `value` is level << 8 | description.
private func openSSLInfo(_ ssl: OpaquePointer?, _ event: Int32, _ value: Int32) {
    guard event & SSL_CB_ALERT != 0, let ssl, let connection = OpenSSLConnection.of(ssl) else { return }
    let fatal = value >> 8 == 2
    let name = OpenSSLAlert.name(value & 0xFF)
    guard fatal || name != "close_notify" else { return }
    if event & SSL_CB_READ != 0 { connection.receivedAlert = name } else { connection.sentAlert = name }
}
#endif
