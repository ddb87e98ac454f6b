import V2GTLS
import V2GTLSNIOSSL
import V2GTLSOpenSSL

/// The TLS backend the runtimes use unless told otherwise: OpenSSL 3 where this build has it, so
/// that the wire follows the whole -20 profile (both suites and no other, secp521r1 and x448,
/// ECDSA-P521 and Ed448); swift-nio-ssl otherwise, whose gaps `deviations` lists and the
/// pipeline logs once.
public enum DefaultTLSBackend {
    public static var backend: any TLSBackend { OpenSSLAvailability.backend ?? NIOSSLBackend() }
}
