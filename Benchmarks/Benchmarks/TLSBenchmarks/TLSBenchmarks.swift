import Benchmark
import Crypto
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOPosix
import NIOTLS
import V2GPKI
import V2GTLS
import V2GTLSNIOSSL
import V2GTLSOpenSSL

/// One mutual TLS 1.3 handshake of the -20 profile on loopback through the `TLSBackend` seam, as
/// the runtimes run it: connect, both handshakes (each side validates the other's chain with the
/// -20 policy), the SECC's first byte reaching the EVCC, close. Per backend; on OpenSSL also with
/// the SECC stapling its leaf's OCSP response and the EVCC requiring and checking it.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .cpuTotal, .mallocCountTotal], timeUnits: .microseconds,
                                           maxDuration: .seconds(10), maxIterations: 300)

    let pki = try! TestPKI()  // fixture: generation with the defaults cannot fail
    let secc = TLSProfile(role: .secc, certificateChain: pki.seccChain, privateKey: pki.secc.privateKey,
                          trustedRoots: [pki.oemRoot.certificate, pki.v2gRoot.certificate])
    let evcc = TLSProfile(role: .evcc, certificateChain: pki.vehicleChain, privateKey: pki.vehicle.privateKey,
                          trustedRoots: [pki.v2gRoot.certificate])

    var cases: [(String, any TLSBackend, TLSProfile, TLSProfile)] = [("P-521, swift-nio-ssl", NIOSSLBackend(), secc, evcc)]
    if let openSSL = OpenSSLAvailability.backend {
        cases.append(("P-521, OpenSSL", openSSL, secc, evcc))
        var stapling = secc
        stapling.ocspResponses = try! pki.seccOCSPResponses()  // fixture: OpenSSL builds have OCSP
        var requiring = evcc
        requiring.ocspPolicy = .required
        cases.append(("P-521, OpenSSL, OCSP stapled and checked", openSSL, stapling, requiring))
        if let (secc448, evcc448) = try! OpenSSLAvailability.ed448TestProfiles() {  // fixture: generation cannot fail
            cases.append(("Ed448, OpenSSL", openSSL, secc448, evcc448))
        }
        if let (secc448, evcc448) = try! OpenSSLAvailability.ed448TestProfiles(stapling: true) {  // fixture: as above
            cases.append(("Ed448, OpenSSL, OCSP stapled and checked", openSSL, secc448, evcc448))
        }
    }
    // Where a handshake's time goes: the -20 chain check each side runs on the other's chain.
    Benchmark("ChainValidator: vehicle chain (3 signatures, swift-certificates)") { benchmark in
        let validator = ChainValidator(roots: [pki.oemRoot.certificate, pki.v2gRoot.certificate], peer: .evcc)
        for _ in benchmark.scaledIterations {
            blackHole(try await validator.validate(pki.vehicleChain).get())
        }
    }
    Benchmark("P-521 ECDSA-SHA512 verify (swift-crypto)") { benchmark in
        let message = [UInt8](repeating: 7, count: 600)
        let signature = try pki.secc.privateKey.signature(for: SHA512.hash(data: message))
        for _ in benchmark.scaledIterations {
            blackHole(pki.secc.publicKey.isValidSignature(signature, for: SHA512.hash(data: message)))
        }
    }
    for (name, backend, secc, evcc) in cases {
        Benchmark("mutual TLS 1.3 handshake (\(name))",
                  configuration: .init(metrics: Benchmark.defaultConfiguration.metrics + [seccCPUPerHandshake])) { benchmark in
            try await handshakes(benchmark, backend: backend, secc: secc, evcc: evcc)
        }
    }
}

/// The SECC's own CPU time for one handshake: its event loop's thread time, where its side of the
/// handshake and its check of the vehicle's chain run. Its inverse is the handshakes per second
/// one core of a charger can serve.
let seccCPUPerHandshake = BenchmarkMetric.custom("SECC CPU per handshake (µs)", polarity: .prefersSmaller, useScalingFactor: false)

/// CPU time the calling thread has used, in nanoseconds.
func threadCPUTime() -> Int {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Int(t.tv_sec) * 1_000_000_000 + Int(t.tv_nsec)
}

func handshakes(_ benchmark: Benchmark, backend: any TLSBackend, secc: TLSProfile, evcc: TLSProfile) async throws {
    // Two threads: the SECC's channels on one event loop, the EVCC's on the other, as two machines.
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
    let seccLoop = group.next(), evccLoop = group.next()
    let server = try backend.prepare(secc) { _ in }
    let client = try backend.prepare(evcc) { _ in }
    let listener = try await ServerBootstrap(group: seccLoop)
        .childChannelInitializer { ch in
            ch.eventLoop.makeCompletedFuture {
                try server.addHandler(to: ch.pipeline.syncOperations)
                try ch.pipeline.syncOperations.addHandler(Greeter())
            }
        }
        .bind(host: "127.0.0.1", port: 0).get()
    let port = listener.localAddress?.port ?? 0
    // The SECC loop's CPU time is read after each handshake; the SECC's part of a close that
    // reaches it after the reading counts towards the next one, which evens out over the run.
    var seccBefore = try await seccLoop.submit { threadCPUTime() }.get()
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations {
        let done = evccLoop.makePromise(of: Void.self)
        let channel = try await ClientBootstrap(group: evccLoop)
            .channelInitializer { ch in
                ch.eventLoop.makeCompletedFuture {
                    try client.addHandler(to: ch.pipeline.syncOperations)
                    try ch.pipeline.syncOperations.addHandler(Greeted(done))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        try await done.futureResult.get()
        try await channel.close()
        let seccAfter = try await seccLoop.submit { threadCPUTime() }.get()
        benchmark.measurement(seccCPUPerHandshake, (seccAfter - seccBefore) / 1000)
        seccBefore = seccAfter
    }
    benchmark.stopMeasurement()
    try await listener.close()
    try await group.shutdownGracefully()
}

/// SECC side: one byte once its handshake (and its check of the vehicle's chain) is done.
final class Greeter: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event {
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: [0x01])), promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }
}

/// EVCC side: done when the SECC's byte arrives.
final class Greeted: ChannelInboundHandler, @unchecked Sendable {
    // @unchecked: used on its channel's event loop only.
    typealias InboundIn = ByteBuffer
    let promise: EventLoopPromise<Void>
    private var finished = false
    init(_ p: EventLoopPromise<Void>) { promise = p }
    private func finish(_ result: Result<Void, Error>) {
        guard !finished else { return }
        finished = true
        promise.completeWith(result)
    }
    func channelRead(context: ChannelHandlerContext, data: NIOAny) { finish(.success(())) }
    func errorCaught(context: ChannelHandlerContext, error: Error) { finish(.failure(error)) }
    func channelInactive(context: ChannelHandlerContext) { finish(.failure(ChannelError.alreadyClosed)) }
}
