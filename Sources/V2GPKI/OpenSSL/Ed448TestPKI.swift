#if OpenSSL
import Foundation

/// The -20 test PKI of `TestPKI`, every key Ed448 and every signature Ed448 (RFC 8410), issued
/// through OpenSSL: the same trees, names, profiles and file layout, for TLS with Ed448
/// certificates and Ed448 Plug & Charge signatures. Certificates are DER (`CertificateList.der`).
public struct Ed448TestPKI: Sendable {
    /// Every credential by the file stem `TestPKI` writes it under (OCSP signers as `ocsp/CA-ocsp`).
    public let credentials: [String: Ed448Credential]

    public init(_ options: TestPKI.Options = TestPKI.Options()) throws {
        credentials = try TestPKI.issueLayout(options) { entry, issuer in
            try Ed448Credential.issue(role: entry.role, subject: entry.subject, by: issuer, now: options.now)
        }
    }

    public subscript(name: String) -> Ed448Credential? { credentials[name] }

    /// A leaf's chain as TLS sends it (leaf, Sub-CA 2, Sub-CA 1), DER.
    public func chain(_ leaf: String) -> CertificateList {
        .der(TestPKI.chainNames(leaf).compactMap { credentials[$0]?.certificateDER })
    }

    public func roots(_ names: String...) -> CertificateList { .der(names.compactMap { credentials[$0]?.certificateDER }) }

    /// Writes the same files as `TestPKI.write(to:passphrase:)` (keys encrypted the same way when a
    /// passphrase is given): `NAME.pem`, `NAME.key.pem`,
    /// `NAME-chain.pem` for leaves, and `oem-provisioning.x448.key.pem`, the key of the OEM
    /// provisioning certificate's alternate X448 public key.
    public func write(to directory: URL, passphrase: String? = nil) throws {
        let fm = FileManager.default
        let encryption = try passphrase.map { try PrivateKeyPEM.Encryption(passphrase: $0) }
        /// PKCS#8 PEM as OpenSSL writes it, encrypted when a passphrase is given.
        func keyFile(_ pem: String) throws -> String {
            guard let encryption, let der = PKIFiles.pemBlocks(pem, label: "PRIVATE KEY").first else { return pem }
            return try PrivateKeyPEM.encrypt(pkcs8: der, encryption: encryption)
        }
        try fm.createDirectory(at: directory.appendingPathComponent("ocsp"), withIntermediateDirectories: true)
        for (name, credential) in credentials {
            try Data(credential.certificatePEM.utf8).write(to: directory.appendingPathComponent("\(name).pem"))
            let keyURL = directory.appendingPathComponent("\(name).key.pem")
            try Data(try keyFile(try credential.privateKey.pemRepresentation).utf8).write(to: keyURL)
            try fm.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keyURL.path)
            if let agreementKey = credential.agreementKey {
                let url = directory.appendingPathComponent("\(name).x448.key.pem")
                try Data(try keyFile(try agreementKey.pemRepresentation).utf8).write(to: url)
                try fm.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
            }
            let chain = TestPKI.chainNames(name)
            if credential.role != .ocspSigner, chain.count > 1 {
                let text = chain.compactMap { credentials[$0]?.certificatePEM }.joined()
                try Data(text.utf8).write(to: directory.appendingPathComponent("\(name)-chain.pem"))
            }
        }
    }
}
#endif
