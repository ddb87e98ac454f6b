import Logging
import NIOCore
import V2GTLS
import V2GTP

/// The channel handlers both runtimes put below their session handler: TLS (unless plain TCP was
/// chosen), through the configured backend, and V2GTP framing. The TLS profile is prepared once
/// and shared by every connection.
struct V2GPipeline: Sendable {
    private let tls: (any TLSConnectionFactory)?
    private let capture: CaptureFile?
    private let isClient: Bool

    /// `capture`: record each connection (and the TLS secrets) in this pcapng file; `isClient`:
    /// the EVCC's side.
    init(security: TransportSecurity, backend: any TLSBackend, logger: Logger, capture: CaptureFile? = nil, isClient: Bool) throws {
        self.capture = capture
        self.isClient = isClient
        if case .tls(var profile) = security {
            if let capture {
                // The secrets go into the capture too, beside wherever else they were meant to go.
                let original = profile.keyLog
                profile.keyLog = { line in original?(line); capture.keyLogLine(line) }
            }
            tls = try backend.prepare(profile, rejected: { reason in logger.error("TLS: peer certificate rejected: \(reason)") })
            // Once per server or client: where the backend falls short of the -20 profile.
            for deviation in backend.deviations { logger.notice("TLS backend \(backend.name) deviates from the -20 profile: \(deviation)") }
        } else {
            tls = nil
        }
    }

    /// Adds the capture (on the wire, below TLS), TLS and V2GTP framing.
    func addHandlers(to pipeline: ChannelPipeline.SynchronousOperations) throws {
        if let capture { try pipeline.addHandler(CaptureHandler(file: capture, isClient: isClient)) }
        try tls?.addHandler(to: pipeline)
        try pipeline.addHandler(ByteToMessageHandler(V2GTPFrameDecoder()))
        try pipeline.addHandler(MessageToByteHandler(V2GTPFrameEncoder()))
    }
}
