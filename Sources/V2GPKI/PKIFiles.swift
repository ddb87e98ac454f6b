import Crypto
import Foundation
import X509

/// Reads what `TestPKI.write(to:)` wrote (or another -20 PKI in the same layout): certificates,
/// chains and unencrypted PKCS#8 keys.
public struct PKIFiles: Sendable {
    public let directory: URL
    /// Opens encrypted keys (`v2g pki init` writes them encrypted unless told otherwise); by
    /// default `$V2G_KEY_PASSPHRASE`.
    public var passphrase: String?

    public init(directory: URL, passphrase: String? = ProcessInfo.processInfo.environment["V2G_KEY_PASSPHRASE"]) {
        self.directory = directory
        self.passphrase = passphrase.flatMap { $0.isEmpty ? nil : $0 }
    }

    public enum Failure: Error, CustomStringConvertible {
        case unreadable(String)
        case encryptedKey(String)
        public var description: String {
            switch self {
            case .unreadable(let f): return "cannot read \(f)"
            case .encryptedKey(let f): return "\(f) is encrypted: set V2G_KEY_PASSPHRASE to its passphrase"
            }
        }
    }

    func text(_ name: String) throws -> String {
        guard let s = try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8) else { throw Failure.unreadable(name) }
        return s
    }

    public func certificate(_ name: String) throws -> Certificate { try Certificate(pemEncoded: try text("\(name).pem")) }

    /// `NAME.pem` as DER, whatever its key (Ed448 too).
    public func certificateDER(_ name: String) throws -> [UInt8] {
        guard let der = Self.pemBlocks(try text("\(name).pem")).first else { throw Failure.unreadable("\(name).pem") }
        return der
    }

    /// `NAME-chain.pem` as DER, leaf first, whatever the keys.
    public func chainDER(_ name: String) throws -> [[UInt8]] {
        let blocks = Self.pemBlocks(try text("\(name)-chain.pem"))
        guard !blocks.isEmpty else { throw Failure.unreadable("\(name)-chain.pem") }
        return blocks
    }

    /// `NAME.key.pem` as PKCS#8 PEM, decrypted with `passphrase` if it was written encrypted.
    public func privateKeyPEM(_ name: String) throws -> String {
        let pem = try text("\(name).key.pem")
        guard pem.contains("ENCRYPTED PRIVATE KEY") else { return pem }
        guard let passphrase else { throw Failure.encryptedKey("\(name).key.pem") }
        return try PrivateKeyPEM.decrypt(pem, passphrase: passphrase)
    }

    /// The DER of every `label` block (by default `CERTIFICATE`) of a PEM text.
    public static func pemBlocks(_ text: String, label: String = "CERTIFICATE") -> [[UInt8]] {
        text.components(separatedBy: "-----BEGIN \(label)-----").dropFirst().compactMap { block in
            guard let body = block.components(separatedBy: "-----END \(label)-----").first else { return nil }
            return Data(base64Encoded: body.filter { !$0.isWhitespace }).map(Array.init)
        }
    }

    /// `NAME-chain.pem`: leaf first.
    public func chain(_ name: String) throws -> [Certificate] {
        let blocks = try text("\(name)-chain.pem").components(separatedBy: "-----END CERTIFICATE-----")
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        return try blocks.map { try Certificate(pemEncoded: $0 + "\n-----END CERTIFICATE-----\n") }
    }

    /// The named roots (DER), and those of a second PKI in `ed448/` when `v2g pki init --algorithm
    /// both` wrote one: a side then accepts peers of either algorithm.
    public func rootsDER(_ names: String...) throws -> [[UInt8]] {
        let second = PKIFiles(directory: directory.appendingPathComponent("ed448"))
        return try names.map { try certificateDER($0) } + names.compactMap { try? second.certificateDER($0) }
    }

    /// Where the OCSP response for certificate `name` lives (`v2g pki ocsp` writes it):
    /// `ocsp/NAME.ocsp.der`.
    public func ocspResponseURL(_ name: String) -> URL { directory.appendingPathComponent("ocsp/\(name).ocsp.der") }

    public func privateKey(_ name: String) throws -> P521.Signing.PrivateKey {
        try P521.Signing.PrivateKey(pemRepresentation: try privateKeyPEM(name))
    }
}
