import NIOCore
import V2GPKI

/// A TLS implementation behind the -20 profile. The runtimes know only this seam: each backend
/// (swift-nio-ssl today; OpenSSL 3 for the parts BoringSSL lacks) turns a `TLSProfile` into
/// channel handlers and reports its handshake with NIOTLS's `TLSUserEvent`.
public protocol TLSBackend: Sendable {
    /// A name for logs ("swift-nio-ssl (BoringSSL)").
    var name: String { get }
    /// Where this backend cannot follow the profile, in one line each; empty when it can.
    var deviations: [String] { get }
    /// Prepares `profile` once (contexts, keys); the result adds TLS to each connection.
    /// `rejected` hears why a peer's chain was refused.
    func prepare(_ profile: TLSProfile, rejected: @escaping @Sendable (ChainValidator.Failure) -> Void) throws -> any TLSConnectionFactory
}

/// A prepared profile: adds the TLS handler of one connection.
public protocol TLSConnectionFactory: Sendable {
    func addHandler(to pipeline: ChannelPipeline.SynchronousOperations) throws
}
