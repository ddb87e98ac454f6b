import Crypto
import X509

/// The key an XML signature is made with: the contract, OEM provisioning, CPS or price-signing
/// certificate's private key, P-521 or (with the OpenSSL trait) Ed448.
public enum XMLSignatureSigningKey: Sendable {
    case p521(P521.Signing.PrivateKey)
    #if OpenSSL
    case ed448(Ed448PrivateKey)
    #endif

    public var algorithm: XMLSignatureAlgorithm {
        switch self {
        case .p521: .ecdsaP521SHA512
        #if OpenSSL
        case .ed448: .ed448
        #endif
        }
    }

    /// A key from PEM as `v2g pki init` writes it: P-521 (SEC 1 or PKCS#8), or Ed448 (PKCS#8,
    /// with the OpenSSL trait).
    public init(pem: String) throws {
        if let key = try? P521.Signing.PrivateKey(pemRepresentation: pem) {
            self = .p521(key)
            return
        }
        #if OpenSSL
        self = .ed448(try Ed448PrivateKey(pemRepresentation: pem))
        #else
        throw XMLSignatureFailure.unsupportedKey
        #endif
    }

    /// A fresh Ed448 key, or nil in a build without the OpenSSL trait (for tools and benchmarks
    /// that must build either way).
    public static func newEd448() throws -> XMLSignatureSigningKey? {
        #if OpenSSL
        .ed448(try Ed448PrivateKey())
        #else
        nil
        #endif
    }

    /// The verifying key that goes with this one.
    public var verifyingKey: XMLSignatureVerifyingKey {
        get throws {
            switch self {
            case .p521(let key): .p521(key.publicKey)
            #if OpenSSL
            case .ed448(let key): .ed448(try key.publicKey)
            #endif
            }
        }
    }

    /// The SignatureValue over the SignedInfo fragment: raw r‖s for ECDSA (SHA-512 inside),
    /// R‖S for PureEdDSA.
    func signature(for bytes: [UInt8]) throws -> [UInt8] {
        switch self {
        case .p521(let key): Array(try key.signature(for: bytes).rawRepresentation)
        #if OpenSSL
        case .ed448(let key): try key.signature(for: bytes)
        #endif
        }
    }
}

/// The public key an XML signature is checked with, usually read from the signer's certificate.
public enum XMLSignatureVerifyingKey: Sendable {
    case p521(P521.Signing.PublicKey)
    #if OpenSSL
    case ed448(Ed448PublicKey)
    #endif

    public var algorithm: XMLSignatureAlgorithm {
        switch self {
        case .p521: .ecdsaP521SHA512
        #if OpenSSL
        case .ed448: .ed448
        #endif
        }
    }

    /// The subject public key of a certificate: P-521 (any build) or Ed448 (with the OpenSSL
    /// trait: swift-certificates does not read Ed448 keys).
    public init(certificateDER der: [UInt8]) throws(XMLSignatureFailure) {
        if let certificate = try? Certificate(derEncoded: der), let key = P521.Signing.PublicKey(certificate.publicKey) {
            self = .p521(key)
            return
        }
        #if OpenSSL
        if let key = try? Ed448PublicKey(certificateDER: der) {
            self = .ed448(key)
            return
        }
        #endif
        throw .unsupportedKey
    }

    func isValidSignature(_ signature: [UInt8], for bytes: [UInt8]) -> Bool {
        switch self {
        case .p521(let key):
            guard let value = try? P521.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
            return key.isValidSignature(value, for: bytes)
        #if OpenSSL
        case .ed448(let key): return key.isValidSignature(signature, for: bytes)
        #endif
        }
    }
}
