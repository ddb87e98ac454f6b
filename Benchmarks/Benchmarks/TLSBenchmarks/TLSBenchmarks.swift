import Benchmark
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS
import V2GPKI
import V2GTLS
import V2GTLSNIOSSL

/// One mutual-TLS 1.3 handshake of the -20 profile (secp521r1, ecdsa_secp521r1_sha512, client
/// certificate validated on both sides) on loopback: connect, handshake, close.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .cpuTotal, .mallocCountTotal], timeUnits: .microseconds,
                                           maxDuration: .seconds(10), maxIterations: 200)

    Benchmark("mutual TLS 1.3 handshake (P-521)") { benchmark in
        let pki = try TestPKI()
        let secc = TLSProfile(role: .secc, certificateChain: pki.seccChain, privateKey: pki.secc.privateKey,
                              trustedRoots: [pki.oemRoot.certificate])
        let evcc = TLSProfile(role: .evcc, certificateChain: pki.vehicleChain, privateKey: pki.vehicle.privateKey,
                              trustedRoots: [pki.v2gRoot.certificate])
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let serverContext = try NIOSSLContext(configuration: NIOSSLBackend.configuration(secc))
        let clientContext = try NIOSSLContext(configuration: NIOSSLBackend.configuration(evcc))
        let listener = try await ServerBootstrap(group: group)
            .childChannelInitializer { ch in
                ch.eventLoop.makeCompletedFuture { try ch.pipeline.syncOperations.addHandler(NIOSSLBackend.makeHandler(secc, context: serverContext)) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = listener.localAddress?.port ?? 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let done = group.next().makePromise(of: Void.self)
            let channel = try await ClientBootstrap(group: group)
                .channelInitializer { ch in
                    ch.eventLoop.makeCompletedFuture {
                        try ch.pipeline.syncOperations.addHandler(NIOSSLBackend.makeHandler(evcc, context: clientContext))
                        try ch.pipeline.syncOperations.addHandler(Done(done))
                    }
                }
                .connect(host: "127.0.0.1", port: port).get()
            try await done.futureResult.get()
            try await channel.close()
        }
        benchmark.stopMeasurement()
        try await listener.close()
        try await group.shutdownGracefully()
    }
}

final class Done: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    let promise: EventLoopPromise<Void>
    init(_ p: EventLoopPromise<Void>) { promise = p }
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event { promise.succeed(()) }
    }
    func errorCaught(context: ChannelHandlerContext, error: Error) { promise.fail(error) }
}
