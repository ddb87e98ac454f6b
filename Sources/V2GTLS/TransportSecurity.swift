/// How a V2G TCP connection is secured.
public enum TransportSecurity: Sendable {
    /// The ISO 15118-20 TLS 1.3 profile.
    case tls(TLSProfile)
    /// Plain TCP, for stacks that run -20 without TLS (Josev's default). Not conformant:
    /// ISO 15118-20 runs only over TLS 1.3 ([V2G20-1237], [V2G20-2356]); runtimes log `warning`.
    case plainTCPNonConformant

    public var isConformant: Bool {
        if case .tls = self { return true }
        return false
    }

    /// What a runtime logs when it opens a connection this way.
    public var warning: String? {
        isConformant ? nil : "plain TCP without TLS: not conformant to ISO 15118-20 (test use only)"
    }
}
