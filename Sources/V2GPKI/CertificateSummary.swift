import Crypto
import _CryptoExtras
import Foundation
import X509

/// What Plug & Charge reads from a certificate besides its key: the validity window and the
/// subject's common name (the eMAID of a contract certificate, [V2G20-2640]; the EVSEID of an SECC).
/// From DER of either algorithm: swift-certificates for P-521, OpenSSL for Ed448.
public struct CertificateSummary: Sendable, Hashable {
    public var notBefore: Date
    public var notAfter: Date
    public var commonName: String?
    /// The subject key identifier extension's value: with the PCID, what binds a sealed contract
    /// key to its certificate (`ContractKeyEnvelope.Binding`).
    public var subjectKeyIdentifier: [UInt8]?
    /// The subject's domain components: the -20 profile names each certificate's domain there
    /// (DC=MO for contract certificates, CPO for the SECC's, OEM, CPS), as -2 did.
    public var domainComponents: [String]
    /// Subject and issuer as RFC 4514 strings (most specific first: "CN=…,O=…,C=…").
    public var subject: String
    public var issuer: String
    /// The issuer's signature algorithm ("ecdsa-with-SHA512", "ED448") and the subject's key
    /// ("secp521r1", "ED448"): what the -20 profile prescribes for each certificate.
    public var signatureAlgorithm: String
    public var keyAlgorithm: String

    public init(notBefore: Date, notAfter: Date, commonName: String?, subjectKeyIdentifier: [UInt8]? = nil, domainComponents: [String] = [],
                subject: String = "", issuer: String = "", signatureAlgorithm: String = "", keyAlgorithm: String = "") {
        self.notBefore = notBefore; self.notAfter = notAfter; self.commonName = commonName; self.subjectKeyIdentifier = subjectKeyIdentifier
        self.domainComponents = domainComponents
        self.subject = subject; self.issuer = issuer; self.signatureAlgorithm = signatureAlgorithm; self.keyAlgorithm = keyAlgorithm
    }

    public enum Failure: Error, Sendable, Equatable { case unreadable }

    public init(der: [UInt8]) throws(Failure) {
        if let certificate = try? Certificate(derEncoded: der) {
            let cn = certificate.subject.flatMap { $0 }.last { $0.type == .RDNAttributeType.commonName }
            let ski = (try? certificate.extensions.subjectKeyIdentifier).flatMap { $0 }.map { Array($0.keyIdentifier) }
            let dcs = certificate.subject.flatMap { $0 }.filter { $0.type == .RDNAttributeType.domainComponent }.map { String(describing: $0.value) }
            self.init(notBefore: certificate.notValidBefore, notAfter: certificate.notValidAfter,
                      commonName: cn.map { String(describing: $0.value) }, subjectKeyIdentifier: ski, domainComponents: dcs,
                      subject: String(describing: certificate.subject), issuer: String(describing: certificate.issuer),
                      signatureAlgorithm: Self.name(certificate.signatureAlgorithm), keyAlgorithm: Self.name(certificate.publicKey))
            return
        }
        #if OpenSSL
        if let summary = try? Self.openSSL(der) { self = summary; return }
        #endif
        throw .unreadable
    }
}

extension CertificateSummary {
    /// The names OpenSSL gives the algorithms, so both readers say the same.
    static func name(_ algorithm: Certificate.SignatureAlgorithm) -> String {
        switch algorithm {
        case .ecdsaWithSHA256: "ecdsa-with-SHA256"
        case .ecdsaWithSHA384: "ecdsa-with-SHA384"
        case .ecdsaWithSHA512: "ecdsa-with-SHA512"
        case .ed25519: "ED25519"
        case .sha256WithRSAEncryption: "sha256WithRSAEncryption"
        case .sha384WithRSAEncryption: "sha384WithRSAEncryption"
        case .sha512WithRSAEncryption: "sha512WithRSAEncryption"
        default: String(describing: algorithm)
        }
    }

    static func name(_ key: Certificate.PublicKey) -> String {
        if P521.Signing.PublicKey(key) != nil { return "secp521r1" }
        if P384.Signing.PublicKey(key) != nil { return "secp384r1" }
        if P256.Signing.PublicKey(key) != nil { return "prime256v1" }
        if Curve25519.Signing.PublicKey(key) != nil { return "ED25519" }
        if _RSA.Signing.PublicKey(key) != nil { return "RSA" }
        return "unknown"
    }
}
