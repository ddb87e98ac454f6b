import Foundation
import V2GCapture
import V2GPKI

/// What a TLS connection's handshake showed, named: what `v2g trace` reports beside the frames
/// and what the checks against the -20 TLS profile read.
public struct TLSSessionSummary: Sendable, Hashable, CustomStringConvertible {
    public var client: Endpoint
    public var server: Endpoint
    public var version: UInt16?
    public var suite: UInt16?
    public var group: UInt16?
    public var serverSignatureScheme: UInt16?
    public var clientSignatureScheme: UInt16?
    /// DER certificates, leaf first.
    public var serverCertificates: [[UInt8]]
    public var clientCertificates: [[UInt8]]
    public var statusRequested: Bool
    public var ocspStapled: Bool
    public var helloRetry: Bool
    public var alerts: [String]
    /// V2G frames decrypted from it.
    public var frames: Int
    /// When the connection began (nanoseconds since the Unix epoch).
    public var time: Int64?
    /// The certificates read: subject, issuer, algorithms, validity (nil where one is unreadable).
    public var serverChain: [CertificateSummary?]
    public var clientChain: [CertificateSummary?]

    init(client: Endpoint, server: Endpoint, handshake h: TLS13Connection.Handshake, frames: Int, time: Int64?) {
        self.client = client; self.server = server
        version = h.version; suite = h.suite; group = h.group
        serverSignatureScheme = h.serverSignatureScheme; clientSignatureScheme = h.clientSignatureScheme
        serverCertificates = h.serverCertificates; clientCertificates = h.clientCertificates
        statusRequested = h.statusRequest; ocspStapled = h.serverStapledOCSP; helloRetry = h.helloRetry
        alerts = h.alerts
        self.frames = frames
        self.time = time
        serverChain = h.serverCertificates.map { try? CertificateSummary(der: $0) }
        clientChain = h.clientCertificates.map { try? CertificateSummary(der: $0) }
    }

    /// One line per certificate seen, leaf first: "SECC 1: CN=… issued by CN=…, secp521r1 key,
    /// ecdsa-with-SHA512, valid 2026-01-01 to 2027-01-01".
    public var certificateLines: [String] {
        func lines(_ side: String, _ chain: [CertificateSummary?]) -> [String] {
            chain.enumerated().map { index, c in
                guard let c else { return "\(side) \(index + 1): unreadable" }
                return "\(side) \(index + 1): \(c.subject) issued by \(c.issuer), \(c.keyAlgorithm) key, \(c.signatureAlgorithm), valid \(Self.day(c.notBefore)) to \(Self.day(c.notAfter))"
            }
        }
        return lines("SECC", serverChain) + lines("EVCC", clientChain)
    }

    static func day(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt).year().month().day())
    }

    public var description: String {
        var parts = ["TLS \(version.map(Self.versionName) ?? "?") \(client) → \(server)"]
        if let suite { parts.append(Self.suiteName(suite)) }
        if let group { parts.append("group \(Self.groupName(group))") }
        if helloRetry { parts.append("after a HelloRetryRequest") }
        if let s = serverSignatureScheme { parts.append("SECC signs with \(Self.schemeName(s))") }
        parts.append(serverCertificates.isEmpty ? "SECC certificates not seen (encrypted)" : "SECC chain of \(serverCertificates.count)")
        parts.append(clientCertificates.isEmpty ? "no EVCC certificate seen" : "EVCC chain of \(clientCertificates.count)\(clientSignatureScheme.map { ", signs with \(Self.schemeName($0))" } ?? "")")
        parts.append(statusRequested ? "status_request sent" : "no status_request")
        if ocspStapled { parts.append("OCSP stapled") }
        if !alerts.isEmpty { parts.append("alerts: \(alerts.joined(separator: ", "))") }
        parts.append(frames > 0 ? "\(frames) V2G frames decrypted" : "not decrypted")
        return parts.joined(separator: "; ")
    }

    static func versionName(_ v: UInt16) -> String {
        switch v {
        case 0x0304: return "1.3"
        case 0x0303: return "1.2"
        default: return "0x" + String(v, radix: 16)
        }
    }

    public static func suiteName(_ s: UInt16) -> String {
        TLS13RecordProtection.Cipher(rawValue: s)?.name ?? "suite 0x" + String(s, radix: 16)
    }

    public static func groupName(_ g: UInt16) -> String {
        switch g {
        case 0x0017: return "secp256r1"
        case 0x0018: return "secp384r1"
        case 0x0019: return "secp521r1"
        case 0x001D: return "x25519"
        case 0x001E: return "x448"
        default: return "0x" + String(g, radix: 16)
        }
    }

    public static func schemeName(_ s: UInt16) -> String {
        switch s {
        case 0x0403: return "ecdsa_secp256r1_sha256"
        case 0x0503: return "ecdsa_secp384r1_sha384"
        case 0x0603: return "ecdsa_secp521r1_sha512"
        case 0x0807: return "ed25519"
        case 0x0808: return "ed448"
        case 0x0804: return "rsa_pss_rsae_sha256"
        case 0x0805: return "rsa_pss_rsae_sha384"
        case 0x0806: return "rsa_pss_rsae_sha512"
        default: return "0x" + String(s, radix: 16)
        }
    }
}
