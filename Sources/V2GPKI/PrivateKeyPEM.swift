import Crypto
import Foundation
import SwiftASN1
import _CryptoExtras

/// PEM files for P-521 private keys: PKCS#8 (`PRIVATE KEY`), or PKCS#8 encrypted with PBES2
/// (RFC 8018: PBKDF2 with HMAC-SHA256, AES-256-CBC) as `ENCRYPTED PRIVATE KEY` — the form
/// OpenSSL writes with `openssl pkcs8 -topk8 -v2 aes-256-cbc`.
public enum PrivateKeyPEM {
    /// The minimum swift-crypto accepts (OWASP's recommendation for PBKDF2-HMAC-SHA256).
    public static let pbkdf2Iterations = 210_000

    /// A passphrase stretched once with PBKDF2, so that a whole PKI can be written with one
    /// derivation: every file gets its own IV; they share the salt and the derived key.
    public struct Encryption: Sendable {
        let salt: [UInt8]
        let key: SymmetricKey

        public init(passphrase: String) throws {
            salt = (0..<16).map { _ in UInt8.random(in: 0...255) }
            key = try KDF.Insecure.PBKDF2.deriveKey(from: Array(passphrase.utf8), salt: salt, using: .sha256,
                                                     outputByteCount: 32, rounds: PrivateKeyPEM.pbkdf2Iterations)
        }
    }

    public static func encode(_ key: P521.Signing.PrivateKey, encryption: Encryption?) throws -> String {
        guard let encryption else { return key.pemRepresentation + "\n" }
        return try encrypt(pkcs8: Array(key.derRepresentation), encryption: encryption)
    }

    /// Any PKCS#8 key (DER), encrypted: `ENCRYPTED PRIVATE KEY`.
    public static func encrypt(pkcs8: [UInt8], encryption: Encryption) throws -> String {
        let iv = (0..<16).map { _ in UInt8.random(in: 0...255) }
        let ciphertext = try AES._CBC.encrypt(pkcs8, using: encryption.key, iv: AES._CBC.IV(ivBytes: iv))
        let der = DER.sequence([
            DER.sequence([
                DER.oid([1, 2, 840, 113549, 1, 5, 13]),  // PBES2
                DER.sequence([
                    DER.sequence([
                        DER.oid([1, 2, 840, 113549, 1, 5, 12]),  // PBKDF2
                        DER.sequence([DER.octetString(encryption.salt), DER.integer(pbkdf2Iterations),
                                      DER.sequence([DER.oid([1, 2, 840, 113549, 2, 9]), DER.null])]),  // hmacWithSHA256
                    ]),
                    DER.sequence([DER.oid([2, 16, 840, 1, 101, 3, 4, 1, 42]), DER.octetString(iv)]),  // aes256-CBC
                ]),
            ]),
            DER.octetString(Array(ciphertext)),
        ])
        return pem(der, label: "ENCRYPTED PRIVATE KEY")
    }

    public enum DecryptionFailure: Error, Sendable, Equatable, CustomStringConvertible {
        /// Not PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC, or not DER at all.
        case unsupported(String)
        /// The passphrase does not open it (or the file is damaged).
        case wrongPassphrase
        public var description: String {
            switch self {
            case .unsupported(let what): "unsupported encrypted key: \(what)"
            case .wrongPassphrase: "the passphrase does not open the key"
            }
        }
    }

    /// The PKCS#8 `PRIVATE KEY` PEM inside an `ENCRYPTED PRIVATE KEY` PEM (PBES2, PBKDF2 with
    /// HMAC-SHA256, AES-256-CBC: what `encrypt` and `openssl pkcs8 -topk8 -v2 aes-256-cbc
    /// -v2prf hmacWithSHA256` write). The iteration count is bounded, so that a hostile file
    /// cannot make reading it take hours.
    public static func decrypt(_ pem: String, passphrase: String) throws(DecryptionFailure) -> String {
        guard let der = PKIFiles.pemBlocks(pem, label: "ENCRYPTED PRIVATE KEY").first else { throw .unsupported("no ENCRYPTED PRIVATE KEY block") }
        let fields: (salt: [UInt8], iterations: Int, iv: [UInt8], data: [UInt8])
        do {
            fields = try EncryptedPrivateKeyInfo.parse(der)
        } catch let failure as DecryptionFailure {
            throw failure
        } catch {
            throw .unsupported("\(error)")
        }
        guard (1...10_000_000).contains(fields.iterations), fields.iv.count == 16 else { throw .unsupported("parameters out of range") }
        do {
            let key = try KDF.Insecure.PBKDF2.deriveKey(from: Array(passphrase.utf8), salt: fields.salt, using: .sha256,
                                                         outputByteCount: 32, unsafeUncheckedRounds: fields.iterations)
            let plain = try AES._CBC.decrypt(fields.data, using: key, iv: AES._CBC.IV(ivBytes: fields.iv))
            // A wrong key leaves garbage that is rarely valid padding and never a PKCS#8 SEQUENCE.
            guard plain.first == 0x30, (try? SwiftASN1.DER.parse(Array(plain))) != nil else { throw DecryptionFailure.wrongPassphrase }
            return PrivateKeyPEM.pem(Array(plain), label: "PRIVATE KEY")
        } catch {
            throw .wrongPassphrase
        }
    }

    static func pem(_ der: [UInt8], label: String) -> String {
        let b64 = Data(der).base64EncodedString()
        var lines = ["-----BEGIN \(label)-----"]
        var i = b64.startIndex
        while i < b64.endIndex {
            let j = b64.index(i, offsetBy: 64, limitedBy: b64.endIndex) ?? b64.endIndex
            lines.append(String(b64[i..<j]))
            i = j
        }
        lines.append("-----END \(label)-----")
        return lines.joined(separator: "\n") + "\n"
    }

    /// A minimal DER writer for the few structures above.
    enum DER {
        static func tlv(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
            var out = [tag]
            let n = content.count
            if n < 0x80 {
                out.append(UInt8(n))
            } else {
                var len: [UInt8] = []
                var v = n
                while v > 0 { len.insert(UInt8(v & 0xFF), at: 0); v >>= 8 }
                out.append(0x80 | UInt8(len.count))
                out += len
            }
            return out + content
        }
        static func sequence(_ items: [[UInt8]]) -> [UInt8] { tlv(0x30, items.flatMap { $0 }) }
        static func octetString(_ b: [UInt8]) -> [UInt8] { tlv(0x04, b) }
        static let null: [UInt8] = [0x05, 0x00]
        static func integer(_ v: Int) -> [UInt8] {
            var bytes: [UInt8] = []
            var x = v
            repeat { bytes.insert(UInt8(x & 0xFF), at: 0); x >>= 8 } while x > 0
            if bytes[0] & 0x80 != 0 { bytes.insert(0, at: 0) }
            return tlv(0x02, bytes)
        }
        static func oid(_ arcs: [UInt]) -> [UInt8] {
            var out: [UInt8] = [UInt8(arcs[0] * 40 + arcs[1])]
            for arc in arcs.dropFirst(2) {
                var groups: [UInt8] = [UInt8(arc & 0x7F)]
                var v = arc >> 7
                while v > 0 { groups.insert(UInt8(v & 0x7F) | 0x80, at: 0); v >>= 7 }
                out += groups
            }
            return tlv(0x06, out)
        }
    }
}
