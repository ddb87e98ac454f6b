import V2GPKI
import V2GTLS

/// Whether this build has the OpenSSL backend: it does with the `OpenSSL` package trait, on by
/// default where the system's OpenSSL 3 headers are (Linux with libssl-dev, macOS with Homebrew's
/// openssl@3); elsewhere the package still builds and the runtimes fall back to swift-nio-ssl.
public enum OpenSSLAvailability {
    /// The OpenSSL backend, or nil when this build has none.
    public static var backend: (any TLSBackend)? {
        #if OpenSSL
        OpenSSLBackend()
        #else
        nil
        #endif
    }

    /// An SECC and an EVCC profile on a fresh Ed448 test PKI (for benchmarks and tools that must
    /// also build without the trait), or nil when this build has no Ed448. With `stapling` the SECC
    /// staples its chain's OCSP responses and the EVCC requires them.
    public static func ed448TestProfiles(stapling: Bool = false) throws -> (secc: TLSProfile, evcc: TLSProfile)? {
        #if OpenSSL
        let pki = try Ed448TestPKI()
        func key(_ name: String) throws -> TLSPrivateKey { .pkcs8PEM(try pki[name]!.privateKey.pemRepresentation) }
        var secc = TLSProfile(role: .secc, certificateChain: pki.chain("secc"), privateKey: try key("secc"), trustedRoots: pki.roots("oem-root"))
        var evcc = TLSProfile(role: .evcc, certificateChain: pki.chain("vehicle"), privateKey: try key("vehicle"), trustedRoots: pki.roots("v2g-root"))
        if stapling {
            secc.ocspResponses = try pki.seccOCSPResponses()
            evcc.ocspPolicy = .required
        }
        return (secc, evcc)
        #else
        nil
        #endif
    }
}
