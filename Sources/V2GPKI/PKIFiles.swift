import Crypto
import Foundation
import X509

/// Reads what `TestPKI.write(to:)` wrote (or another -20 PKI in the same layout): certificates,
/// chains and unencrypted PKCS#8 keys.
public struct PKIFiles: Sendable {
    public let directory: URL
    public init(directory: URL) { self.directory = directory }

    public enum Failure: Error, CustomStringConvertible {
        case unreadable(String)
        case encryptedKey(String)
        public var description: String {
            switch self {
            case .unreadable(let f): return "cannot read \(f)"
            case .encryptedKey(let f): return "\(f) is encrypted; write the PKI without --passphrase for v2g secc/evcc"
            }
        }
    }

    func text(_ name: String) throws -> String {
        guard let s = try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8) else { throw Failure.unreadable(name) }
        return s
    }

    public func certificate(_ name: String) throws -> Certificate { try Certificate(pemEncoded: try text("\(name).pem")) }

    /// `NAME-chain.pem`: leaf first.
    public func chain(_ name: String) throws -> [Certificate] {
        let blocks = try text("\(name)-chain.pem").components(separatedBy: "-----END CERTIFICATE-----")
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        return try blocks.map { try Certificate(pemEncoded: $0 + "\n-----END CERTIFICATE-----\n") }
    }

    /// Where the OCSP response for certificate `name` lives (`v2g pki ocsp` writes it):
    /// `ocsp/NAME.ocsp.der`.
    public func ocspResponseURL(_ name: String) -> URL { directory.appendingPathComponent("ocsp/\(name).ocsp.der") }

    public func privateKey(_ name: String) throws -> P521.Signing.PrivateKey {
        let pem = try text("\(name).key.pem")
        if pem.contains("ENCRYPTED") { throw Failure.encryptedKey("\(name).key.pem") }
        return try P521.Signing.PrivateKey(pemRepresentation: pem)
    }
}
