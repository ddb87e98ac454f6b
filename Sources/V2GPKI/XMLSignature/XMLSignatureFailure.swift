import EXI

/// Why an XML signature does not verify. The session answers every one of them with
/// FAILED_SignatureError (or the message's own code, e.g. FAILED_MeteringSignatureNotValid).
public enum XMLSignatureFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// A SignatureMethod or DigestMethod outside the -20 profile (SHA-1, SHA-256, ecdsa-sha256 over
    /// P-256, RFC 9231's eddsa-ed448), or one this build cannot compute (Ed448 without OpenSSL), or
    /// a DigestMethod that does not go with the SignatureMethod.
    case unsupportedAlgorithm(String)
    /// A CanonicalizationMethod or Transform other than Canonical EXI.
    case unsupportedCanonicalization(String)
    /// The key is neither P-521 nor Ed448, or is of the other kind than the SignatureMethod.
    case unsupportedKey
    /// An element that must be signed has no Reference.
    case unreferencedElement(id: String)
    /// A Reference points at no element given to the check.
    case unknownReference(uri: String)
    case digestMismatch(id: String)
    case malformedSignatureValue(length: Int)
    /// The signature does not verify with the signer's key.
    case invalidSignature
    case encoding(EXIError)

    public var description: String {
        switch self {
        case .unsupportedAlgorithm(let uri): "algorithm outside the -20 profile: \(uri)"
        case .unsupportedCanonicalization(let uri): "canonicalization other than Canonical EXI: \(uri)"
        case .unsupportedKey: "the signer's key is neither P-521 nor Ed448, or not of the signature's kind"
        case .unreferencedElement(let id): "element \(id) is not covered by the signature"
        case .unknownReference(let uri): "reference \(uri) points at no signed element"
        case .digestMismatch(let id): "the digest of element \(id) does not match its reference"
        case .malformedSignatureValue(let n): "SignatureValue of \(n) bytes"
        case .invalidSignature: "the signature does not verify"
        case .encoding(let e): "cannot encode the signed EXI: \(e)"
        }
    }
}
