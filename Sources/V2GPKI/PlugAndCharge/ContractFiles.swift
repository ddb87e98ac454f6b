import Foundation

/// Where the vehicle keeps contracts it installed: `contract-chain.pem` (leaf, Sub-CAs) and
/// `contract.key.pem`, the key encrypted (PKCS#8, PBES2/PBKDF2-HMAC-SHA256/AES-256-CBC, as
/// OpenSSL writes it) under a passphrase; the layout `v2g pki init` uses, so the folder works as
/// `--pki` for the contract.
public struct ContractFiles: Sendable {
    public let directory: URL
    public init(directory: URL) { self.directory = directory }

    public func write(_ installed: ContractInstallation.Installed, passphrase: String) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let chain = installed.chainDER.map { PrivateKeyPEM.pem($0, label: "CERTIFICATE") }.joined()
        try Data(chain.utf8).write(to: directory.appendingPathComponent("contract-chain.pem"))
        try Data(PrivateKeyPEM.pem(installed.chainDER[0], label: "CERTIFICATE").utf8).write(to: directory.appendingPathComponent("contract.pem"))
        let key = try PrivateKeyPEM.encode(installed.privateKey, encryption: try PrivateKeyPEM.Encryption(passphrase: passphrase))
        let keyURL = directory.appendingPathComponent("contract.key.pem")
        try Data(key.utf8).write(to: keyURL)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keyURL.path)
    }
}
