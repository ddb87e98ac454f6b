import Foundation

/// What an OCSP response (RFC 6960) says about one certificate.
public enum OCSPCertificateStatus: Sendable, Equatable, CustomStringConvertible {
    case good
    case revoked(at: Date)
    case unknown

    public var description: String {
        switch self {
        case .good: "good"
        case .revoked(let date): "revoked at \(date)"
        case .unknown: "unknown"
        }
    }
}

/// The longest an OCSP response may be valid (nextUpdate − thisUpdate): one week ([V2G20-1021]).
public let ocspMaximumValidity: TimeInterval = 7 * 86_400

/// Why a certificate's OCSP response does not show it as valid. [V2G20-2409], [V2G20-2413]–[V2G20-2415]:
/// a failed revocation check makes the chain invalid.
public enum OCSPFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// No response where one is required (a public environment, or a SECC offering Plug & Charge).
    case missing
    /// Not a DER OCSPResponse with a BasicOCSPResponse.
    case malformed(String)
    /// The responder answered with an error status (RFC 6960 §4.2.1: 1 malformedRequest … 6 unauthorized).
    case unsuccessful(status: Int)
    /// The signature does not verify, or the signer is neither the certificate's issuer nor an OCSP
    /// signer that issuer certified.
    case untrustedResponder(String)
    /// The response has no status for this certificate.
    case noStatusForCertificate
    case revoked(at: Date)
    case unknownCertificate
    case expired(nextUpdate: Date)
    case notYetValid(thisUpdate: Date)
    /// No nextUpdate, or one more than a week after thisUpdate ([V2G20-1021]).
    case validityTooLong(TimeInterval?)
    /// This build has no OCSP (it was built without the OpenSSL trait).
    case unavailable

    public var description: String {
        switch self {
        case .missing: "no OCSP response was stapled"
        case .malformed(let why): "the OCSP response is malformed: \(why)"
        case .unsuccessful(let status): "the OCSP responder answered status \(status)"
        case .untrustedResponder(let why): "the OCSP response is not from a trusted responder: \(why)"
        case .noStatusForCertificate: "the OCSP response has no status for the certificate"
        case .revoked(let date): "the certificate was revoked at \(date)"
        case .unknownCertificate: "the OCSP responder does not know the certificate"
        case .expired(let date): "the OCSP response expired at \(date)"
        case .notYetValid(let date): "the OCSP response is not valid before \(date)"
        case .validityTooLong(let seconds):
            seconds.map { "the OCSP response is valid for \(Int($0 / 3600)) h, more than the week [V2G20-1021] allows" }
                ?? "the OCSP response has no nextUpdate"
        case .unavailable: "this build has no OCSP support (built without the OpenSSL trait)"
        }
    }
}
