import Foundation
import V2GPKI
import X509

/// What reads certificates and keys from files and from the peer: PEM blocks, each certificate
/// through swift-certificates and through `CertificateSummary` (OpenSSL for what swift-certificates
/// cannot read), and encrypted PKCS#8 with a passphrase. Whatever they read, they read again the
/// same.
enum PKIFuzzing {
    static func run(_ bytes: [UInt8]) throws(FuzzFinding) {
        // Raw DER, as a peer's Certificate message carries it.
        certificate(bytes)
        // PEM text, as the files hold it.
        let text = String(decoding: bytes, as: UTF8.self)
        for der in PKIFiles.pemBlocks(text) { certificate(der) }
        if text.contains("ENCRYPTED PRIVATE KEY") { _ = try? PrivateKeyPEM.decrypt(text, passphrase: "fuzz") }
        if let parsed = try? Certificate(derEncoded: bytes) {
            guard let der = try? parsed.derBytes, let again = try? Certificate(derEncoded: der), again == parsed else {
                throw FuzzFinding(.pki, "a certificate swift-certificates read does not read back as itself")
            }
        }
    }

    private static func certificate(_ der: [UInt8]) {
        _ = try? CertificateSummary(der: der)
    }
}
