/// What the -20 certificate profile looks at in one certificate, whichever library parsed it
/// (swift-certificates for P-521 chains; OpenSSL, which also reads Ed448).
public struct CertificateFacts: Sendable, Equatable {
    public enum KeyAlgorithm: Sendable, Equatable { case secp521r1, ed448, other(String) }
    public enum SignatureAlgorithm: Sendable, Equatable { case ecdsaWithSHA512, ed448, other(String) }

    /// How the certificate is named in a refusal (its subject).
    public var name: String
    public var key: KeyAlgorithm
    public var signature: SignatureAlgorithm
    /// The key usage's digitalSignature bit; nil without a key usage extension.
    public var digitalSignature: Bool?
    /// Whether the extended key usage allows clientAuth; nil without the extension.
    public var clientAuth: Bool?
    public var isCA: Bool

    public init(name: String, key: KeyAlgorithm, signature: SignatureAlgorithm, digitalSignature: Bool?, clientAuth: Bool?, isCA: Bool) {
        self.name = name
        self.key = key
        self.signature = signature
        self.digitalSignature = digitalSignature
        self.clientAuth = clientAuth
        self.isCA = isCA
    }
}

/// The ISO 15118-20 certificate profile (PROTOCOL-NOTES §6) on top of RFC 5280 path validation,
/// the one implementation every validator runs: every certificate carries a secp521r1 or an Ed448
/// key and is signed with ecdsa-with-SHA512 or Ed448; the leaf may sign (digitalSignature) and is
/// not a CA; a TLS client's leaf, if it has an extended key usage, allows clientAuth.
public enum V2G20CertificateRules {
    /// Why `chain` (leaf first, up to and including the root) breaks the profile, or nil.
    public static func violation(in chain: [CertificateFacts], peer: V2G20CertificatePolicy.Peer) -> String? {
        for (index, certificate) in chain.enumerated() {
            let name = index == 0 ? "leaf" : "certificate \(index) (\(certificate.name))"
            if case .other(let key) = certificate.key {
                return "\(name) does not have a secp521r1 or Ed448 key, as the -20 profile requires (it has \(key))"
            }
            if case .other(let algorithm) = certificate.signature {
                return "\(name) is signed with \(algorithm), not ecdsa-with-SHA512 or Ed448"
            }
        }
        guard let leaf = chain.first else { return "the chain is empty" }
        guard leaf.digitalSignature == true else { return "leaf key usage does not allow digitalSignature" }
        if peer == .evcc, leaf.clientAuth == false { return "vehicle certificate's extended key usage does not allow clientAuth" }
        if leaf.isCA { return "leaf is a CA certificate" }
        return nil
    }
}
