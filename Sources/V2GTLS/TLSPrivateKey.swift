import Crypto

/// The private key of a TLS profile's leaf.
public enum TLSPrivateKey: Sendable {
    case p521(P521.Signing.PrivateKey)
    /// A PKCS#8 PEM key the backend reads itself: Ed448 (`Ed448PrivateKey.pemRepresentation`,
    /// `openssl genpkey -algorithm ed448`) on the OpenSSL backend.
    case pkcs8PEM(String)

    public var pemRepresentation: String {
        switch self {
        case .p521(let key): key.pemRepresentation
        case .pkcs8PEM(let pem): pem
        }
    }
}
