import Crypto

/// The TLS 1.3 record protection of one direction (RFC 8446 §5.2, §7.3): the key and IV from a
/// traffic secret by HKDF-Expand-Label, the per-record nonce (IV XOR the sequence number), the
/// record header as additional data, the inner plaintext's content type and padding; KeyUpdate
/// moves to the next secret ("traffic upd"). All cryptography is swift-crypto's.
struct TLS13RecordProtection: Sendable {
    enum Cipher: UInt16, Sendable {
        case aes128GCMSHA256 = 0x1301
        case aes256GCMSHA384 = 0x1302
        case chacha20Poly1305SHA256 = 0x1303

        var keyLength: Int { self == .aes128GCMSHA256 ? 16 : 32 }
        var hashLength: Int { self == .aes256GCMSHA384 ? 48 : 32 }
        var name: String {
            switch self {
            case .aes128GCMSHA256: return "TLS_AES_128_GCM_SHA256"
            case .aes256GCMSHA384: return "TLS_AES_256_GCM_SHA384"
            case .chacha20Poly1305SHA256: return "TLS_CHACHA20_POLY1305_SHA256"
            }
        }
    }

    let cipher: Cipher
    private(set) var secret: [UInt8]
    private var key: SymmetricKey
    private var iv: [UInt8]
    private var sequence: UInt64 = 0

    init(cipher: Cipher, secret: [UInt8]) {
        self.cipher = cipher
        self.secret = secret
        key = SymmetricKey(data: Self.expandLabel(cipher, secret, "key", cipher.keyLength))
        iv = Self.expandLabel(cipher, secret, "iv", 12)
    }

    /// A KeyUpdate: the next application traffic secret.
    mutating func update() {
        self = TLS13RecordProtection(cipher: cipher, secret: Self.expandLabel(cipher, secret, "traffic upd", cipher.hashLength))
    }

    /// Opens a protected record (`header`: its 5 bytes; `body`: ciphertext and tag): the inner
    /// content type and content, or nil when it does not authenticate (a wrong key).
    mutating func open(header: [UInt8], body: [UInt8]) -> (type: UInt8, content: [UInt8])? {
        guard body.count >= 17 else { return nil }
        var nonce = iv
        for i in 0..<8 { nonce[4 + i] ^= UInt8(truncatingIfNeeded: sequence >> (56 - 8 * UInt64(i))) }
        let ciphertext = body.dropLast(16), tag = body.suffix(16)
        let plain: [UInt8]
        do {
            switch cipher {
            case .aes128GCMSHA256, .aes256GCMSHA384:
                let box = try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: nonce), ciphertext: ciphertext, tag: tag)
                plain = Array(try AES.GCM.open(box, using: key, authenticating: header))
            case .chacha20Poly1305SHA256:
                let box = try ChaChaPoly.SealedBox(nonce: ChaChaPoly.Nonce(data: nonce), ciphertext: ciphertext, tag: tag)
                plain = Array(try ChaChaPoly.open(box, using: key, authenticating: header))
            }
        } catch {
            return nil
        }
        sequence += 1
        // The inner plaintext: content, then its type, then zero padding.
        guard let end = plain.lastIndex(where: { $0 != 0 }) else { return nil }
        return (plain[end], Array(plain[..<end]))
    }

    /// HKDF-Expand-Label (RFC 8446 §7.1) with an empty context.
    static func expandLabel(_ cipher: Cipher, _ secret: [UInt8], _ label: String, _ length: Int) -> [UInt8] {
        let full = Array("tls13 \(label)".utf8)
        let info = [UInt8(length >> 8), UInt8(length & 0xFF), UInt8(full.count)] + full + [0]
        let prk = SymmetricKey(data: secret)
        let out: SymmetricKey = cipher == .aes256GCMSHA384
            ? HKDF<SHA384>.expand(pseudoRandomKey: prk, info: info, outputByteCount: length)
            : HKDF<SHA256>.expand(pseudoRandomKey: prk, info: info, outputByteCount: length)
        return out.withUnsafeBytes { Array($0) }
    }
}
