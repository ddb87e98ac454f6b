import Logging
import NIOCore
import V2GTLS
import V2GTP

/// The channel handlers both runtimes put below their session handler: TLS (unless plain TCP was
/// chosen), through the configured backend, and V2GTP framing. The TLS profile is prepared once
/// and shared by every connection.
struct V2GPipeline: Sendable {
    private let tls: (any TLSConnectionFactory)?

    init(security: TransportSecurity, backend: any TLSBackend, logger: Logger) throws {
        if case .tls(let profile) = security {
            tls = try backend.prepare(profile, rejected: { reason in logger.error("TLS: peer certificate rejected: \(reason)") })
            // Once per server or client: where the backend falls short of the -20 profile.
            for deviation in backend.deviations { logger.notice("TLS backend \(backend.name) deviates from the -20 profile: \(deviation)") }
        } else {
            tls = nil
        }
    }

    /// Adds TLS and V2GTP framing.
    func addHandlers(to pipeline: ChannelPipeline.SynchronousOperations) throws {
        try tls?.addHandler(to: pipeline)
        try pipeline.addHandler(ByteToMessageHandler(V2GTPFrameDecoder()))
        try pipeline.addHandler(MessageToByteHandler(V2GTPFrameEncoder()))
    }
}
