import Crypto
import V2GPKI
import X509

/// The ISO 15118-20 TLS 1.3 profile (PROTOCOL-NOTES §5) as plain data: who we are, whom we trust,
/// and what the profile allows. A `TLSBackend` turns it into a TLS implementation's settings; the
/// profile itself names no library.
public struct TLSProfile: Sendable {
    public enum Role: Sendable { case secc, evcc }

    public var role: Role
    /// Own chain, leaf first (SECC: leaf, CPO Sub-CA 2, Sub-CA 1; EVCC: the vehicle certificate chain).
    public var certificateChain: CertificateList
    public var privateKey: TLSPrivateKey
    /// Roots the peer's chain must lead to (SECC: OEM and V2G roots; EVCC: V2G roots).
    public var trustedRoots: CertificateList
    /// SECC: the OCSP responses (DER) to staple, one per certificate of `certificateChain`, leaf
    /// first ([V2G20-2388]); a backend staples what its library can (OpenSSL 3: the leaf's).
    public var ocspResponses: [[UInt8]] = []
    /// EVCC: what a missing staple means. Every EVCC asks for one (status_request with an empty
    /// responder_id_list, [V2G20-2372]/[V2G20-2373]) and refuses a chain whose stapled response does
    /// not show the leaf good ([V2G20-1240], [V2G20-2409]).
    public var ocspPolicy: OCSPPolicy = .checkWhenStapled
    /// Receives each NSS key-log line (`CLIENT_HANDSHAKE_TRAFFIC_SECRET …`) for Wireshark.
    public var keyLog: (@Sendable (String) -> Void)?

    /// A P-521 profile from swift-certificates and swift-crypto values.
    public init(role: Role, certificateChain: [Certificate], privateKey: P521.Signing.PrivateKey, trustedRoots: [Certificate],
                keyLog: (@Sendable (String) -> Void)? = nil) {
        self.init(role: role, certificateChain: .certificates(certificateChain), privateKey: .p521(privateKey),
                  trustedRoots: .certificates(trustedRoots), keyLog: keyLog)
    }

    /// Any profile: Ed448 chains come as DER with a PKCS#8 key (the OpenSSL backend reads them).
    public init(role: Role, certificateChain: CertificateList, privateKey: TLSPrivateKey, trustedRoots: CertificateList,
                keyLog: (@Sendable (String) -> Void)? = nil) {
        self.role = role
        self.certificateChain = certificateChain
        self.privateKey = privateKey
        self.trustedRoots = trustedRoots
        self.keyLog = keyLog
    }

    /// What an EVCC does when the SECC staples no OCSP response.
    public enum OCSPPolicy: String, Sendable, CaseIterable {
        /// The chain is invalid without one: a public environment, or a SECC that offers Plug &
        /// Charge ([V2G20-2388], [V2G20-2391]). (An EVCC may instead query the responder itself,
        /// [V2G20-2411]; ours has no network path to one.)
        case required
        /// A private environment without Plug & Charge, where the SECC may ignore status_request
        /// ([V2G20-2398]): a stapled response is checked, a missing one accepted.
        case checkWhenStapled = "when-stapled"
    }

    /// TLS 1.3 only ([V2G20-2356]).
    public static let version = "TLSv1.3"
    /// The profile's cipher suites (Table 6), in its order, by their IANA names.
    public static let cipherSuites = ["TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"]
    /// Key-exchange groups (Table 7).
    public static let groups = ["secp521r1", "x448"]
    /// Signature algorithms (Table 8).
    public static let signatureAlgorithms = ["ecdsa_secp521r1_sha512", "ed448"]

    /// The chain validator for the peer's certificates: RFC 5280 plus the -20 profile of the
    /// peer's role (the SECC checks vehicle chains, the EVCC SECC chains).
    /// Roots swift-certificates cannot read (Ed448) are left out: no chain it can validate leads
    /// to them.
    public func peerValidator() throws -> ChainValidator {
        let roots = try trustedRoots.der().compactMap { try? Certificate(derEncoded: $0) }
        return ChainValidator(roots: roots, peer: peerRole)
    }

    /// The role whose certificate profile the peer's chain must meet.
    public var peerRole: V2G20CertificatePolicy.Peer { role == .secc ? .evcc : .secc }
}
