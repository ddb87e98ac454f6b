import Crypto
import EXI
import Foundation

/// The contract certificate's private key as CertificateInstallationRes carries it to the vehicle
/// (SignedInstallationData: ECDHCurve, DHPublicKey and SECP521_/X448_EncryptedPrivateKey).
///
/// The sender (the CPS on behalf of the eMSP, "party U") makes an ephemeral key on the curve of
/// the vehicle's OEM provisioning certificate and agrees a secret Z with that certificate's key
/// ("party V": one-pass, ephemeral-static ECDH). The session key is NIST SP 800-56A's
/// concatenation KDF over SHA-512 with AlgorithmID 0x01, PartyUInfo "U" and PartyVInfo "V", 256
/// bits. The private key is sealed with AES-256-GCM: a random 12-byte IV, the ciphertext, the
/// 16-byte tag, in that order (94 bytes for P-521's 66-byte scalar, 84 for X448's 56 bytes), and
/// the associated data binds it to the vehicle and the certificate (`Binding`).
///
/// Sources (PROTOCOL-NOTES §contract key delivery, /work/notes research): cipher, IV and tag
/// layout from the -20 text and a second public description; the KDF's OtherInfo and the AAD only
/// from the -20 text. No independent stack does this conformantly yet; the tests check our bytes
/// against pyca/cryptography computing the same construction.
public struct ContractKeyEnvelope: Sendable, Equatable {
    /// `ECDHCurve` of SignedInstallationData: the curve of the OEM provisioning certificate.
    public enum Curve: String, Sendable, CaseIterable {
        case secp521r1 = "SECP521"
        case x448 = "X448"

        /// The private key's length in the envelope: P-521's 521-bit scalar padded to 66 bytes,
        /// X448's 56 bytes.
        public var privateKeyLength: Int { self == .secp521r1 ? 66 : 56 }
        /// `DHPublicKey`: an uncompressed point, 0x04 ‖ x ‖ y (133 bytes) for P-521; 0x04 ‖ u (57
        /// bytes) for X448, as the -20 text has it (the XSD's length facet of 133 is not padded to).
        public var dhPublicKeyLength: Int { self == .secp521r1 ? 133 : 57 }
        /// The encrypted private key's length: IV, ciphertext, tag.
        public var encryptedLength: Int { ContractKeyEnvelope.ivLength + privateKeyLength + ContractKeyEnvelope.tagLength }
    }

    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// DHPublicKey is not a point of the curve in the form above.
        case malformedDHPublicKey(Curve, length: Int)
        case wrongLength(Curve, expected: Int, actual: Int)
        /// The tag did not verify: tampered, for another vehicle key, or another binding.
        case decryptionFailed
        /// The decrypted key is not a valid private key of the curve (P-521: the 7 padding bits
        /// set, zero, or not below the group order).
        case invalidPrivateKey(Curve)
        /// The decrypted key does not belong to the contract certificate's public key.
        case keyMismatch
        /// X448 needs the OpenSSL trait; this build has none.
        case unavailable(Curve)

        public var description: String {
            switch self {
            case .malformedDHPublicKey(let c, let n): "DHPublicKey (\(n) bytes) is not a \(c.rawValue) public key"
            case .wrongLength(let c, let e, let a): "\(c.rawValue)_EncryptedPrivateKey has \(a) bytes, expected \(e)"
            case .decryptionFailed: "the contract key does not decrypt: tampered, or sealed for another key or binding"
            case .invalidPrivateKey(let c): "the decrypted contract key is not a valid \(c.rawValue) private key"
            case .keyMismatch: "the decrypted contract key does not match the contract certificate"
            case .unavailable(let c): "\(c.rawValue) needs the OpenSSL trait"
            }
        }
    }

    /// The associated data that ties the sealed key to one vehicle and one contract certificate:
    /// the PCID of CertificateInstallationReq (ASCII) followed by the contract certificate's
    /// subject key identifier as upper-case hexadecimal (ASCII).
    public struct Binding: Sendable, Equatable {
        public var pcid: String
        public var contractSubjectKeyIdentifier: [UInt8]

        public init(pcid: String, contractSubjectKeyIdentifier: [UInt8]) {
            self.pcid = pcid
            self.contractSubjectKeyIdentifier = contractSubjectKeyIdentifier
        }

        public var bytes: [UInt8] {
            Array(pcid.utf8) + Array(Hex.encode(contractSubjectKeyIdentifier, uppercase: true).utf8)
        }
    }

    public static let ivLength = 12
    public static let tagLength = 16

    public let curve: Curve
    /// The sender's ephemeral public key.
    public let dhPublicKey: [UInt8]
    /// IV ‖ ciphertext ‖ tag.
    public let encryptedPrivateKey: [UInt8]

    /// An envelope as received; lengths are checked here, the rest when it is opened.
    public init(curve: Curve, dhPublicKey: [UInt8], encryptedPrivateKey: [UInt8]) throws(Failure) {
        guard dhPublicKey.count == curve.dhPublicKeyLength, dhPublicKey.first == 0x04 else {
            throw .malformedDHPublicKey(curve, length: dhPublicKey.count)
        }
        guard encryptedPrivateKey.count == curve.encryptedLength else {
            throw .wrongLength(curve, expected: curve.encryptedLength, actual: encryptedPrivateKey.count)
        }
        self.curve = curve
        self.dhPublicKey = dhPublicKey
        self.encryptedPrivateKey = encryptedPrivateKey
    }

    /// The session key from the agreed secret Z (P-521: the x-coordinate, 66 bytes; X448: the
    /// RFC 7748 output, 56 bytes): one round of the concatenation KDF, counter 1, OtherInfo
    /// 0x01 ‖ "U" ‖ "V", the first 256 bits of SHA-512.
    static func sessionKey(sharedSecret z: [UInt8]) -> SymmetricKey {
        var hash = SHA512()
        hash.update(data: [0, 0, 0, 1])
        hash.update(data: z)
        hash.update(data: [0x01, 0x55, 0x56])
        return SymmetricKey(data: Array(hash.finalize()).prefix(32))
    }

    /// AES-256-GCM over the private key; `iv` from the CSPRNG unless a test fixes it.
    static func encrypt(_ privateKey: [UInt8], sharedSecret z: [UInt8], binding: Binding, iv: [UInt8]?) throws -> [UInt8] {
        let nonce = try iv.map { try AES.GCM.Nonce(data: $0) } ?? AES.GCM.Nonce()
        let box = try AES.GCM.seal(privateKey, using: sessionKey(sharedSecret: z), nonce: nonce, authenticating: binding.bytes)
        return Array(nonce) + Array(box.ciphertext) + Array(box.tag)
    }

    func decrypt(sharedSecret z: [UInt8], binding: Binding) throws(Failure) -> [UInt8] {
        let iv = encryptedPrivateKey.prefix(Self.ivLength)
        let tag = encryptedPrivateKey.suffix(Self.tagLength)
        let ciphertext = encryptedPrivateKey.dropFirst(Self.ivLength).dropLast(Self.tagLength)
        do {
            let box = try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: iv), ciphertext: ciphertext, tag: tag)
            return Array(try AES.GCM.open(box, using: Self.sessionKey(sharedSecret: z), authenticating: binding.bytes))
        } catch {
            throw .decryptionFailed
        }
    }
}

// MARK: - secp521r1

extension ContractKeyEnvelope {
    /// Seals a P-521 contract key for the vehicle whose OEM provisioning certificate has
    /// `recipient`, with a fresh ephemeral key (`ephemeral` and `iv` only for test vectors).
    public static func seal(contractKey: P521.Signing.PrivateKey, to recipient: P521.KeyAgreement.PublicKey, binding: Binding,
                            ephemeral: P521.KeyAgreement.PrivateKey = P521.KeyAgreement.PrivateKey(), iv: [UInt8]? = nil) throws -> ContractKeyEnvelope {
        let z = try ephemeral.sharedSecretFromKeyAgreement(with: recipient).withUnsafeBytes { Array($0) }
        return try ContractKeyEnvelope(curve: .secp521r1, dhPublicKey: Array(ephemeral.publicKey.x963Representation),
                                       encryptedPrivateKey: try encrypt(Array(contractKey.rawRepresentation), sharedSecret: z, binding: binding, iv: iv))
    }

    /// Opens a P-521 envelope with the OEM provisioning key and checks the key against the
    /// contract certificate's public key.
    public func open(with recipient: P521.KeyAgreement.PrivateKey, binding: Binding,
                     contractPublicKey: P521.Signing.PublicKey) throws(Failure) -> P521.Signing.PrivateKey {
        guard curve == .secp521r1 else { throw .unavailable(curve) }
        let sender: P521.KeyAgreement.PublicKey
        let z: [UInt8]
        do {
            sender = try P521.KeyAgreement.PublicKey(x963Representation: dhPublicKey)
            z = try recipient.sharedSecretFromKeyAgreement(with: sender).withUnsafeBytes { Array($0) }
        } catch {
            throw .malformedDHPublicKey(curve, length: dhPublicKey.count)
        }
        let scalar = try decrypt(sharedSecret: z, binding: binding)
        // 521 bits in 66 bytes: the top 7 bits are padding and must be zero.
        guard scalar.count == 66, scalar[0] & 0xFE == 0,
              let key = try? P521.Signing.PrivateKey(rawRepresentation: scalar) else { throw .invalidPrivateKey(curve) }
        guard key.publicKey.rawRepresentation == contractPublicKey.rawRepresentation else { throw .keyMismatch }
        return key
    }
}
