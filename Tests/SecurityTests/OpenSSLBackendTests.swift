#if OpenSSL
import Foundation
import NIOCore
import NIOPosix
import NIOTLS
import Testing
import TestSupport
import V2GPKI
import V2GTLS
import V2GTLSNIOSSL
import V2GTLSOpenSSL
import X509

/// One side of a handshake through the `TLSBackend` seam, whichever backend: what it saw.
final class SeamEnd: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    let done: EventLoopPromise<TLSNegotiated?>
    let received = Box<[UInt8]>([])
    /// Errors after the handshake too (TLS 1.3: a client hears of its refused certificate after
    /// its own handshake finished).
    let errors = Box<[Error]>([])
    private var negotiated: TLSNegotiated?
    private var completed = false
    private var finished = false
    init(_ done: EventLoopPromise<TLSNegotiated?>) { self.done = done }

    private func finish(_ result: Result<TLSNegotiated?, Error>) {
        // The first outcome wins; later errors are kept in `errors` only.
        if !finished {
            finished = true
            done.completeWith(result)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event {
            completed = true
            // NIOSSL sends no TLSNegotiated: complete on the next turn of the loop.
            context.eventLoop.execute { [self] in finish(.success(negotiated)) }
        }
        if let n = event as? TLSNegotiated { negotiated = n; finish(.success(n)) }
        context.fireUserInboundEventTriggered(event)
    }
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        received.value += unwrapInboundIn(data).readableBytesView
    }
    func errorCaught(context: ChannelHandlerContext, error: Error) {
        errors.value.append(error)
        finish(.failure(error))
        context.close(promise: nil)
    }
    func channelInactive(context: ChannelHandlerContext) { finish(.failure(TLSError.closedDuringHandshake)) }
}

enum Seam {
    static let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    struct Outcome {
        var server: Result<TLSNegotiated?, Error>
        var client: Result<TLSNegotiated?, Error>
        var serverHello: (cipher: UInt16, group: UInt16?)?
        var serverRejected: ChainValidator.Failure?
        var clientRejected: ChainValidator.Failure?
        var serverReceived: [UInt8]
        var clientReceived: [UInt8]
        var clientErrors: [Error]
        var keyLog: [String]
    }

    /// A listening server of `profile` on `backend` whose first connection reports to `end`.
    struct Listener {
        let channel: Channel
        let end: SeamEnd
        let done: EventLoopPromise<TLSNegotiated?>
        let rejected: Box<ChainValidator.Failure?>
        var port: Int { channel.localAddress?.port ?? 0 }
    }

    static func serve(_ profile: TLSProfile, _ backend: any TLSBackend, keyLog: Box<[String]>? = nil) async throws -> Listener {
        let rejected = Box<ChainValidator.Failure?>(nil)
        var serverProfile = profile
        if let keyLog { serverProfile.keyLog = { keyLog.value.append($0) } }
        let factory = try backend.prepare(serverProfile) { rejected.value = $0 }
        let done = group.next().makePromise(of: TLSNegotiated?.self)
        let end = SeamEnd(done)
        let channel = try await ServerBootstrap(group: group)
            .childChannelInitializer { ch in
                ch.eventLoop.makeCompletedFuture {
                    try factory.addHandler(to: ch.pipeline.syncOperations)
                    try ch.pipeline.syncOperations.addHandler(end)
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return Listener(channel: channel, end: end, done: done, rejected: rejected)
    }

    /// A handshake on 127.0.0.1 between `server` on `serverBackend` and `client` on
    /// `clientBackend`, then a line of application data each way.
    static func run(server: TLSProfile, _ serverBackend: any TLSBackend, client: TLSProfile, _ clientBackend: any TLSBackend) async throws -> Outcome {
        let keyLog = Box<[String]>([])
        let listener = try await serve(server, serverBackend, keyLog: keyLog)
        defer { listener.channel.close(promise: nil) }
        let sniffer = TLSSniffer()
        let (channel, clientEnd, clientDone, clientRejected) = try await startClient(client, clientBackend, port: listener.port, sniffer: sniffer)
        let clientResult: Result<TLSNegotiated?, Error> = await Result { try await clientDone.futureResult.get() }
        let serverResult: Result<TLSNegotiated?, Error> = await Result { try await listener.done.futureResult.get() }
        if case .success = clientResult, case .success = serverResult {
            try await channel.writeAndFlush(ByteBuffer(string: "ping from the EVCC\n"))
            for _ in 0..<200 where listener.end.received.value.isEmpty { try await Task.sleep(nanoseconds: 5_000_000) }
        } else {
            // Let an alert that follows a finished client handshake arrive.
            for _ in 0..<200 where channel.isActive { try await Task.sleep(nanoseconds: 5_000_000) }
        }
        try? await channel.close()
        return Outcome(server: serverResult, client: clientResult, serverHello: TLSSniffer.serverHello(sniffer.inbound),
                       serverRejected: listener.rejected.value, clientRejected: clientRejected.value,
                       serverReceived: listener.end.received.value, clientReceived: clientEnd.received.value,
                       clientErrors: clientEnd.errors.value, keyLog: keyLog.value)
    }

    /// Our client on `backend` against a server already listening on `port`.
    static func connect(_ profile: TLSProfile, _ backend: any TLSBackend, port: Int) async throws -> (Result<TLSNegotiated?, Error>, Channel) {
        let (channel, _, done, _) = try await startClient(profile, backend, port: port)
        return (await Result { try await done.futureResult.get() }, channel)
    }

    /// A connected client of `profile` on `backend`: its pipeline is `sniffer` (if any), the
    /// backend's handler, and a `SeamEnd` that completes `done`; `rejected` gets its chain refusal.
    static func startClient(_ profile: TLSProfile, _ backend: any TLSBackend, port: Int, sniffer: TLSSniffer? = nil) async throws
        -> (channel: Channel, end: SeamEnd, done: EventLoopPromise<TLSNegotiated?>, rejected: Box<ChainValidator.Failure?>) {
        let rejected = Box<ChainValidator.Failure?>(nil)
        let factory = try backend.prepare(profile) { rejected.value = $0 }
        let done = group.next().makePromise(of: TLSNegotiated?.self)
        let end = SeamEnd(done)
        let channel = try await ClientBootstrap(group: group)
            .channelInitializer { ch in
                ch.eventLoop.makeCompletedFuture {
                    if let sniffer { try ch.pipeline.syncOperations.addHandler(sniffer) }
                    try factory.addHandler(to: ch.pipeline.syncOperations)
                    try ch.pipeline.syncOperations.addHandler(end)
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return (channel, end, done, rejected)
    }
}

/// The OpenSSL 3 backend behind the `TLSBackend` seam: the -20 profile as negotiated, read from
/// OpenSSL and from the ServerHello bytes on the wire; chains refused by the -20 policy; and the
/// swift-nio-ssl backend on the other side where the profiles overlap.
@Suite(.serialized, .offPool) struct OpenSSLBackendTests {
    static let pki: TestPKI = { try! TestPKI() }()  // fixture: generation with the defaults cannot fail

    static var secc: TLSProfile {
        TLSProfile(role: .secc, certificateChain: pki.seccChain, privateKey: pki.secc.privateKey,
                   trustedRoots: [pki.oemRoot.certificate, pki.v2gRoot.certificate])
    }
    static var evcc: TLSProfile {
        TLSProfile(role: .evcc, certificateChain: pki.vehicleChain, privateKey: pki.vehicle.privateKey, trustedRoots: [pki.v2gRoot.certificate])
    }

    @Test func ourSECCAndEVCCOnOpenSSLNegotiateTheProfile() async throws {
        let o = try await Seam.run(server: Self.secc, OpenSSLBackend(), client: Self.evcc, OpenSSLBackend())
        let client = try #require(try o.client.get())
        let server = try #require(try o.server.get())
        #expect(client.version == "TLSv1.3")
        #expect(client.cipherSuite == "TLS_AES_256_GCM_SHA384")
        #expect(client.group == "secp521r1")
        #expect(client.peerSignatureScheme == "ecdsa_secp521r1_sha512", "the SECC's CertificateVerify")
        #expect(server.peerSignatureScheme == "ecdsa_secp521r1_sha512", "the vehicle's CertificateVerify")
        // The same from the bytes on the wire.
        #expect(o.serverHello?.cipher == 0x1302, "TLS_AES_256_GCM_SHA384")
        #expect(o.serverHello?.group == 0x0019, "secp521r1")
        #expect(String(decoding: o.serverReceived, as: UTF8.self) == "ping from the EVCC\n")
        #expect(o.keyLog.contains { $0.hasPrefix("CLIENT_HANDSHAKE_TRAFFIC_SECRET ") })
        #expect(o.keyLog.contains { $0.hasPrefix("SERVER_TRAFFIC_SECRET_0 ") })
        print("OpenSSL ↔ OpenSSL: \(client)")
    }

    /// Where the profiles overlap (secp521r1, ECDSA P-521, AES-256 or ChaCha20), each backend
    /// talks to the other; the OpenSSL side never lets AES-128 through.
    @Test(arguments: [true, false])
    func openSSLAndSwiftNIOSSLInteroperate(openSSLServes: Bool) async throws {
        let o = openSSLServes
            ? try await Seam.run(server: Self.secc, OpenSSLBackend(), client: Self.evcc, NIOSSLBackend())
            : try await Seam.run(server: Self.secc, NIOSSLBackend(), client: Self.evcc, OpenSSLBackend())
        _ = try o.client.get()
        _ = try o.server.get()
        #expect(o.serverHello?.cipher == 0x1302, "TLS_AES_256_GCM_SHA384, not AES-128")
        #expect(o.serverHello?.group == 0x0019)
        #expect(String(decoding: o.serverReceived, as: UTF8.self) == "ping from the EVCC\n")
    }

    /// A vehicle chain from a PKI the SECC does not trust: the -20 policy refuses it inside the
    /// handshake, and the vehicle hears an alert.
    @Test func untrustedVehicleChainIsRefused() async throws {
        let other = try TestPKI()
        let stranger = TLSProfile(role: .evcc, certificateChain: other.vehicleChain, privateKey: other.vehicle.privateKey,
                                  trustedRoots: [Self.pki.v2gRoot.certificate])
        let o = try await Seam.run(server: Self.secc, OpenSSLBackend(), client: stranger, OpenSSLBackend())
        #expect(o.serverRejected != nil)
        guard case .failure(let serverError) = o.server else { Issue.record("the SECC accepted an untrusted chain"); return }
        #expect(serverError as? TLSError == .certificateRejected(o.serverRejected?.description ?? ""), "\(serverError)")
        // In TLS 1.3 the vehicle's handshake is over before the SECC checks its certificate: it
        // hears the SECC's alert after, on its first read.
        let alerts = o.clientErrors.compactMap { error -> String? in
            if case .alertReceived(let alert)? = error as? TLSError { return alert }
            return nil
        }
        #expect(alerts.contains { ["bad_certificate", "certificate_unknown", "unknown_ca", "handshake_failure"].contains($0) }, "\(o.clientErrors)")
        #expect(o.serverReceived.isEmpty, "no application data past a refused chain")
    }

    // MARK: against the openssl CLI

    typealias CLI = OpenSSLInteropTests
    static var cliSECC: TLSProfile {
        let pki = CLI.files.pki
        return TLSProfile(role: .secc, certificateChain: pki.seccChain, privateKey: pki.secc.privateKey,
                          trustedRoots: [pki.oemRoot.certificate, pki.v2gRoot.certificate])
    }
    static var cliEVCC: TLSProfile {
        let pki = CLI.files.pki
        return TLSProfile(role: .evcc, certificateChain: pki.vehicleChain, privateKey: pki.vehicle.privateKey, trustedRoots: [pki.v2gRoot.certificate])
    }

    /// `openssl s_client` with the test vehicle's chain and `offer` (its suites, groups, versions)
    /// against our SECC on OpenSSL: its output, and what our SECC concluded.
    static func sClient(_ offer: [String]) async throws -> (output: String, secc: Result<TLSNegotiated?, Error>) {
        let listener = try await Seam.serve(cliSECC, OpenSSLBackend())
        defer { listener.channel.close(promise: nil) }
        return try await sClient(listener, ["-cert", CLI.path("vehicle.pem"), "-key", CLI.path("vehicle.key.pem"),
                                            "-cert_chain", try CLI.subCAs(["oem-subca2", "oem-subca1"]), "-CAfile", CLI.path("v2g-root.pem"),
                                            "-verify_return_error", "-brief"] + offer)
    }

    /// `openssl s_client ARGS` against `listener`: its output, and what our server concluded.
    static func sClient(_ listener: Seam.Listener, _ arguments: [String]) async throws -> (output: String, secc: Result<TLSNegotiated?, Error>) {
        let client = try CLI.startClient(port: listener.port, arguments)
        let secc: Result<TLSNegotiated?, Error> = await Result { try await listener.done.futureResult.get() }
        try await Task.sleep(nanoseconds: 300_000_000)
        client.closeInput()
        await client.wait()
        return (client.output, secc)
    }

    @Test(.enabled(if: CLI.openssl != nil, "openssl is not installed"), arguments: [("X448", "x448"), ("P-521", "secp521r1")])
    func bothGroupsWithTheOpenSSLClient(offered: String, expected: String) async throws {
        let (output, secc) = try await Self.sClient(["-tls1_3", "-groups", offered])
        let negotiated = try #require(try secc.get())
        #expect(negotiated.group == expected, "\(output)")
        #expect(negotiated.cipherSuite == "TLS_AES_256_GCM_SHA384")
        #expect(output.contains("Ciphersuite: TLS_AES_256_GCM_SHA384"), "\(output)")
        #expect(output.contains(expected == "x448" ? "X448" : "P-521") || output.contains(expected), "\(output)")
    }

    /// ChaCha20 when the client offers only it; refused when the client offers only what the
    /// profile excludes: AES-128-GCM, secp256r1, TLS 1.2.
    @Test(.enabled(if: CLI.openssl != nil, "openssl is not installed"))
    func chaChaIsAcceptedWhenItIsAllTheClientOffers() async throws {
        let (output, secc) = try await Self.sClient(["-tls1_3", "-ciphersuites", "TLS_CHACHA20_POLY1305_SHA256"])
        #expect(try secc.get()?.cipherSuite == "TLS_CHACHA20_POLY1305_SHA256", "\(output)")
    }

    @Test(.enabled(if: CLI.openssl != nil, "openssl is not installed"), arguments: [
        (["-tls1_3", "-ciphersuites", "TLS_AES_128_GCM_SHA256"], "handshake_failure"),
        (["-tls1_3", "-groups", "P-256"], "handshake_failure"),
        (["-tls1_2"], "protocol_version"),
    ])
    func offersOutsideTheProfileAreRefused(offer: [String], alert: String) async throws {
        let (output, secc) = try await Self.sClient(offer)
        guard case .failure(let error) = secc else { Issue.record("our SECC accepted \(offer): \(output)"); return }
        if case .alertSent(let sent, _)? = error as? TLSError {
            #expect(sent == alert)
        } else {
            Issue.record("our SECC refused \(offer) without an alert: \(error)")
        }
        #expect(output.lowercased().contains(alert.replacingOccurrences(of: "_", with: " ")), "\(output)")
    }

    /// Our EVCC on OpenSSL against `openssl s_server` offering x448 only, and AES-128 only.
    @Test(.enabled(if: CLI.openssl != nil, "openssl is not installed"))
    func ourEVCCAgainstTheOpenSSLServer() async throws {
        let base = ["-tls1_3", "-cert", CLI.path("secc.pem"), "-key", CLI.path("secc.key.pem"),
                    "-cert_chain", try CLI.subCAs(["cpo-subca2", "cpo-subca1"]), "-Verify", "3", "-CAfile", CLI.path("oem-root.pem")]
        let (server, port) = try await CLI.startServer(base + ["-groups", "X448"])
        defer { server.stop() }
        let (result, channel) = try await Seam.connect(Self.cliEVCC, OpenSSLBackend(), port: port)
        defer { channel.close(promise: nil) }
        #expect(try result.get()?.group == "x448")

        let (refusing, port2) = try await CLI.startServer(base + ["-ciphersuites", "TLS_AES_128_GCM_SHA256"])
        defer { refusing.stop() }
        let (refused, channel2) = try await Seam.connect(Self.cliEVCC, OpenSSLBackend(), port: port2)
        defer { channel2.close(promise: nil) }
        guard case .failure(let error) = refused else { Issue.record("our EVCC accepted AES-128"); return }
        #expect(error as? TLSError == .alertReceived("handshake_failure"), "\(error)")
    }

    @Test func untrustedSECCChainIsRefusedByTheEVCC() async throws {
        let other = try TestPKI()
        let stranger = TLSProfile(role: .secc, certificateChain: other.seccChain, privateKey: other.secc.privateKey,
                                  trustedRoots: [Self.pki.oemRoot.certificate, Self.pki.v2gRoot.certificate])
        let o = try await Seam.run(server: stranger, OpenSSLBackend(), client: Self.evcc, OpenSSLBackend())
        #expect(o.clientRejected != nil)
        guard case .failure(let clientError) = o.client else { Issue.record("the EVCC accepted an untrusted SECC"); return }
        #expect(clientError as? TLSError == .certificateRejected(o.clientRejected?.description ?? ""), "\(clientError)")
    }
}
#endif
