/// Why a TLS connection failed, whichever backend ran it: what a log and a test can read without
/// knowing the library.
public enum TLSError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The peer sent a fatal alert (RFC 8446 §6), by its name (`handshake_failure`, `bad_certificate`…).
    case alertReceived(String)
    /// We sent this fatal alert, for the reason given (no shared suite, group or signature
    /// scheme; a refused certificate chain…).
    case alertSent(String, reason: String)
    /// The peer's certificate chain was refused by the -20 chain policy.
    case certificateRejected(String)
    /// The bytes were not TLS, or not TLS 1.3 as the profile asks.
    case protocolViolation(String)
    /// The connection closed before the handshake finished.
    case closedDuringHandshake
    /// The TLS library failed for a reason of its own.
    case library(String)

    public var description: String {
        switch self {
        case .alertReceived(let alert): return "TLS alert received from the peer: \(alert)"
        case .alertSent(let alert, let reason): return "TLS alert sent: \(alert) (\(reason))"
        case .certificateRejected(let reason): return "peer certificate rejected: \(reason)"
        case .protocolViolation(let what): return "TLS protocol violation: \(what)"
        case .closedDuringHandshake: return "the connection closed during the TLS handshake"
        case .library(let what): return "TLS library error: \(what)"
        }
    }
}

/// What a TLS handshake agreed on, as the backend read it from its library (not from our own
/// configuration): fired as a user event after `TLSUserEvent.handshakeCompleted`.
public struct TLSNegotiated: Sendable, Hashable, CustomStringConvertible {
    /// "TLSv1.3".
    public var version: String
    /// The IANA name: "TLS_AES_256_GCM_SHA384".
    public var cipherSuite: String
    /// The key-exchange group: "secp521r1", "x448".
    public var group: String
    /// The peer's CertificateVerify signature scheme: "ecdsa_secp521r1_sha512", "ed448".
    public var peerSignatureScheme: String

    public init(version: String, cipherSuite: String, group: String, peerSignatureScheme: String) {
        self.version = version; self.cipherSuite = cipherSuite; self.group = group; self.peerSignatureScheme = peerSignatureScheme
    }

    public var description: String { "\(version) \(cipherSuite), \(group), peer signs with \(peerSignatureScheme)" }
}
