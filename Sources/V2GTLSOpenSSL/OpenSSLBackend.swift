#if OpenSSL
import COpenSSL
import NIOCore
import V2GPKI
import V2GTLS

/// The OpenSSL 3 backend of the -20 TLS profile: the whole profile, which swift-nio-ssl's
/// BoringSSL cannot give — exactly TLS_AES_256_GCM_SHA384 and TLS_CHACHA20_POLY1305_SHA256,
/// secp521r1 and x448, ecdsa_secp521r1_sha512 and ed448 (`OpenSSLContext` has the settings).
public struct OpenSSLBackend: TLSBackend {
    public init() {}

    public var name: String { OpenSSLBackend.version }

    /// What OpenSSL 3 cannot do of the profile: TLS 1.3 multi-stapling.
    public var deviations: [String] { ["staples the OCSP response of the SECC leaf only, not one per certificate of the chain ([V2G20-2388])"] }

    /// The library's version line, e.g. "OpenSSL 3.0.19 27 Jan 2026".
    public static var version: String { String(cString: OpenSSL_version(0)) }

    public func prepare(_ profile: TLSProfile, rejected: @escaping @Sendable (ChainValidator.Failure) -> Void) throws -> any TLSConnectionFactory {
        Prepared(context: try OpenSSLContext(profile, rejected: rejected))
    }

    struct Prepared: TLSConnectionFactory {
        let context: OpenSSLContext

        func addHandler(to pipeline: ChannelPipeline.SynchronousOperations) throws {
            try pipeline.addHandler(OpenSSLHandler(connection: try OpenSSLConnection(context: context)))
        }
    }
}
#endif
