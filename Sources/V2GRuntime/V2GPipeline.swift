import Logging
import NIOCore
import NIOSSL
import V2GSecurity
import V2GTP

/// The channel handlers both runtimes put below their session handler: TLS (unless plain TCP was
/// chosen) and V2GTP framing. The TLS context is built once and shared by every connection.
struct V2GPipeline: Sendable {
    private let tls: (profile: TLSProfile, context: NIOSSLContext)?

    init(security: TransportSecurity) throws {
        if case .tls(let profile) = security {
            tls = (profile, try NIOSSLContext(configuration: profile.configuration()))
        } else {
            tls = nil
        }
    }

    /// Adds TLS and V2GTP framing; a peer chain the TLS profile refuses is logged.
    func addHandlers(to pipeline: ChannelPipeline.SynchronousOperations, logger: Logger) throws {
        if let tls {
            try pipeline.addHandler(tls.profile.makeHandler(context: tls.context, rejected: { reason in
                logger.error("TLS: peer certificate rejected: \(reason)")
            }))
        }
        try pipeline.addHandler(ByteToMessageHandler(V2GTPFrameDecoder()))
        try pipeline.addHandler(MessageToByteHandler(V2GTPFrameEncoder()))
    }
}
