import Crypto
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS
import Testing
import V2GPKI
import V2GTLS
import V2GTLSNIOSSL
import X509

/// Records the raw TLS bytes of a connection (it sits below the TLS handler), so tests can read
/// the plaintext ServerHello: negotiated cipher suite and key-exchange group.
final class TLSSniffer: ChannelDuplexHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    private let lock = NSLock()
    private var _inbound: [UInt8] = []
    private var _outbound: [UInt8] = []
    var inbound: [UInt8] { lock.withLock { _inbound } }
    var outbound: [UInt8] { lock.withLock { _outbound } }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let b = unwrapInboundIn(data)
        lock.withLock { _inbound += b.readableBytesView }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let b = unwrapOutboundIn(data)
        lock.withLock { _outbound += b.readableBytesView }
        context.write(data, promise: promise)
    }

    /// (cipher suite, key_share group) of the first ServerHello in `bytes`.
    static func serverHello(_ bytes: [UInt8]) -> (cipher: UInt16, group: UInt16?)? {
        var i = 0
        while i + 5 <= bytes.count {
            let type = bytes[i], len = Int(bytes[i + 3]) << 8 | Int(bytes[i + 4])
            let body = i + 5
            if type == 0x16, body + 4 <= bytes.count, bytes[body] == 0x02 {
                var p = body + 4 + 2 + 32
                guard p < bytes.count else { return nil }
                p += 1 + Int(bytes[p])                       // session id
                guard p + 5 <= bytes.count else { return nil }
                let cipher = UInt16(bytes[p]) << 8 | UInt16(bytes[p + 1])
                p += 3                                        // cipher + compression
                let extEnd = p + 2 + (Int(bytes[p]) << 8 | Int(bytes[p + 1]))
                p += 2
                while p + 4 <= min(extEnd, bytes.count) {
                    let et = UInt16(bytes[p]) << 8 | UInt16(bytes[p + 1])
                    let el = Int(bytes[p + 2]) << 8 | Int(bytes[p + 3])
                    if et == 0x0033, p + 6 <= bytes.count { return (cipher, UInt16(bytes[p + 4]) << 8 | UInt16(bytes[p + 5])) }
                    p += 4 + el
                }
                return (cipher, nil)
            }
            i = body + len
        }
        return nil
    }
}

/// Completes a promise when the handshake finishes or fails.
final class HandshakeWatcher: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    let done: EventLoopPromise<Void>
    init(_ done: EventLoopPromise<Void>) { self.done = done }
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event { done.succeed(()) }
        context.fireUserInboundEventTriggered(event)
    }
    func errorCaught(context: ChannelHandlerContext, error: Error) {
        done.fail(error)
        context.close(promise: nil)
    }
    func channelInactive(context: ChannelHandlerContext) {
        done.fail(ChannelError.eof)
    }
}

final class Box<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var _value: T
    init(_ v: T) { _value = v }
    var value: T { get { lock.withLock { _value } } set { lock.withLock { _value = newValue } } }
}

struct HandshakeOutcome {
    var serverResult: Result<Void, Error>
    var clientResult: Result<Void, Error>
    var serverVerified: [Certificate]?
    var clientVerified: [Certificate]?
    var serverRejected: ChainValidator.Failure?
    var clientRejected: ChainValidator.Failure?
    var clientSawServerHello: (cipher: UInt16, group: UInt16?)?
    var tlsVersion: TLSVersion?
    var keyLogLines: [String]
    var ok: Bool {
        if case .success = serverResult, case .success = clientResult { return true }
        return false
    }
}

enum Loopback {
    static let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    /// A TLS server of `profile` on 127.0.0.1 that completes `done` with its first handshake.
    struct Server {
        let channel: Channel
        let port: Int
        let done: EventLoopPromise<Void>
        let verified: Box<[Certificate]?>
        let rejected: Box<ChainValidator.Failure?>
        let keyLog: Box<[String]>
    }

    static func serve(_ server: TLSProfile) async throws -> Server {
        let verified = Box<[Certificate]?>(nil), rejected = Box<ChainValidator.Failure?>(nil)
        let keyLog = Box<[String]>([])
        var profile = server
        profile.keyLog = { line in keyLog.value.append(line) }
        let serverProfile = profile
        let context = try NIOSSLContext(configuration: NIOSSLBackend.configuration(serverProfile))
        let done = group.next().makePromise(of: Void.self)
        let channel = try await ServerBootstrap(group: group)
            .childChannelInitializer { ch in
                ch.eventLoop.makeCompletedFuture {
                    try ch.pipeline.syncOperations.addHandler(NIOSSLBackend.makeHandler(serverProfile, context: context, verified: { verified.value = $0 }, rejected: { rejected.value = $0 }))
                    try ch.pipeline.syncOperations.addHandler(HandshakeWatcher(done))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return Server(channel: channel, port: channel.localAddress?.port ?? 0, done: done, verified: verified, rejected: rejected, keyLog: keyLog)
    }

    struct Client {
        var result: Result<Void, Error>
        var verified: [Certificate]?
        var rejected: ChainValidator.Failure?
        var serverHello: (cipher: UInt16, group: UInt16?)?
        var tlsVersion: TLSVersion?
        var channel: Channel
    }

    static func connect(_ client: TLSProfile, port: Int, configure: ((inout TLSConfiguration) -> Void)? = nil) async throws -> Client {
        let verified = Box<[Certificate]?>(nil), rejected = Box<ChainValidator.Failure?>(nil)
        var configuration = try NIOSSLBackend.configuration(client)
        configure?(&configuration)
        let context = try NIOSSLContext(configuration: configuration)
        let done = group.next().makePromise(of: Void.self)
        let sniffer = TLSSniffer()
        let channel = try await ClientBootstrap(group: group)
            .channelInitializer { ch in
                ch.eventLoop.makeCompletedFuture {
                    try ch.pipeline.syncOperations.addHandler(sniffer)
                    try ch.pipeline.syncOperations.addHandler(NIOSSLBackend.makeHandler(client, context: context, verified: { verified.value = $0 }, rejected: { rejected.value = $0 }))
                    try ch.pipeline.syncOperations.addHandler(HandshakeWatcher(done))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        let result: Result<Void, Error> = await Result { try await done.futureResult.get() }
        let version: TLSVersion?? = try? await channel.nioSSL_tlsVersion().get()
        return Client(result: result, verified: verified.value, rejected: rejected.value,
                      serverHello: TLSSniffer.serverHello(sniffer.inbound), tlsVersion: version ?? nil, channel: channel)
    }

    /// Runs one handshake between a server and a client profile on 127.0.0.1.
    static func handshake(server: TLSProfile, client: TLSProfile, clientConfiguration: ((inout TLSConfiguration) -> Void)? = nil) async throws -> HandshakeOutcome {
        let s = try await serve(server)
        defer { s.channel.close(promise: nil) }
        let c = try await connect(client, port: s.port, configure: clientConfiguration)
        // The server may finish after the client (it still reads the client's Finished); when the
        // client failed, the server's result follows from the closed connection.
        let serverResult: Result<Void, Error> = await Result {
            try await s.done.futureResult.get()
        }
        try? await c.channel.close()
        return HandshakeOutcome(serverResult: serverResult, clientResult: c.result,
                                serverVerified: s.verified.value, clientVerified: c.verified,
                                serverRejected: s.rejected.value, clientRejected: c.rejected,
                                clientSawServerHello: c.serverHello, tlsVersion: c.tlsVersion,
                                keyLogLines: s.keyLog.value)
    }
}

extension Result where Failure == Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}

@Suite(.serialized) struct TLSHandshakeTests {
    static let pki: TestPKI = { try! TestPKI() }()  // test fixture; generation cannot fail with the defaults

    static var secc: TLSProfile {
        TLSProfile(role: .secc, certificateChain: pki.seccChain, privateKey: pki.secc.privateKey,
                   trustedRoots: [pki.oemRoot.certificate, pki.v2gRoot.certificate])
    }
    static func evcc(chain: [Certificate]? = nil, key: P521.Signing.PrivateKey? = nil) -> TLSProfile {
        TLSProfile(role: .evcc, certificateChain: chain ?? pki.vehicleChain, privateKey: key ?? pki.vehicle.privateKey,
                   trustedRoots: [pki.v2gRoot.certificate])
    }

    @Test func mutualTLS13HandshakeWithTheProfile() async throws {
        let o = try await Loopback.handshake(server: Self.secc, client: Self.evcc())
        #expect(o.ok, "server \(o.serverResult), client \(o.clientResult), rejected \(String(describing: o.serverRejected ?? o.clientRejected))")
        #expect(o.tlsVersion == .tlsv13)
        // secp521r1 (0x0019) in the ServerHello key_share.
        #expect(o.clientSawServerHello?.group == 0x0019)
        // Both sides authenticated: each validated the other's chain up to a trusted root.
        #expect(o.serverVerified?.first == Self.pki.vehicle.certificate)
        #expect(o.serverVerified?.last == Self.pki.oemRoot.certificate)
        #expect(o.clientVerified?.first == Self.pki.secc.certificate)
        #expect(o.clientVerified?.last == Self.pki.v2gRoot.certificate)
        #expect(o.keyLogLines.contains { $0.hasPrefix("CLIENT_HANDSHAKE_TRAFFIC_SECRET ") })
        let cipher = o.clientSawServerHello.map { String($0.cipher, radix: 16) } ?? "?"
        print("tls: TLS 1.3, group 0x\(String(o.clientSawServerHello?.group ?? 0, radix: 16)), cipher 0x\(cipher), both sides authenticated")
    }

    @Test func clientWithoutCertificateIsRefused() async throws {
        let o = try await Loopback.handshake(server: Self.secc, client: Self.evcc()) { c in
            c.certificateChain = []
            c.privateKey = nil
        }
        #expect(!o.ok)
        #expect(o.serverVerified == nil)
    }

    @Test func clientChainFromAnUnknownRootIsRefused() async throws {
        let other = try TestPKI()
        let o = try await Loopback.handshake(server: Self.secc, client: Self.evcc(chain: other.vehicleChain, key: other.vehicle.privateKey))
        #expect(!o.ok)
        #expect(o.serverRejected != nil)
    }

    @Test func expiredLeafIsRefused() async throws {
        let past = Date().addingTimeInterval(-10 * 86_400)
        let expired = try TestPKI.issue(role: .vehicle, commonName: "WMIV1234567890EXPIRED", by: Self.pki.oemSubCA2,
                                        validity: (past, past.addingTimeInterval(86_400)))
        let chain = [expired.certificate, Self.pki.oemSubCA2.certificate, Self.pki.oemSubCA1.certificate]
        let o = try await Loopback.handshake(server: Self.secc, client: Self.evcc(chain: chain, key: expired.privateKey))
        #expect(!o.ok)
        #expect(o.serverRejected != nil, "expired leaf must be refused by chain validation")
    }

    /// A leaf without digitalSignature: our validator refuses it, and BoringSSL will not even load
    /// it as a local certificate. (The handshake case, presented by OpenSSL, is in OpenSSLInteropTests.)
    @Test func wrongKeyUsageIsRefused() async throws {
        let wrong = try TestPKI.issue(role: .vehicle, commonName: "WMIV1234567890WRONGKU", by: Self.pki.oemSubCA2,
                                      keyUsage: KeyUsage(keyAgreement: true))
        let chain = [wrong.certificate, Self.pki.oemSubCA2.certificate, Self.pki.oemSubCA1.certificate]
        let result = await ChainValidator(roots: [Self.pki.oemRoot.certificate], peer: .evcc).validate(chain)
        guard case .failure(let f) = result else { Issue.record("accepted a leaf without digitalSignature"); return }
        #expect(f.description.contains("digitalSignature"))
        #expect(throws: NIOSSLError.self) {
            _ = try NIOSSLContext(configuration: NIOSSLBackend.configuration(Self.evcc(chain: chain, key: wrong.privateKey)))
        }
    }

    @Test func pathLengthExceededIsRefused() async throws {
        // Sub-CA 2 has pathLen 0: a third CA below it breaks the constraint.
        let extraCA = try TestPKI.issue(role: .subCA2, commonName: "Rogue Sub-CA 3", by: Self.pki.oemSubCA2)
        let leaf = try TestPKI.issue(role: .vehicle, commonName: "WMIV1234567890ROGUE", by: extraCA)
        let chain = [leaf.certificate, extraCA.certificate, Self.pki.oemSubCA2.certificate, Self.pki.oemSubCA1.certificate]
        let result = await ChainValidator(roots: [Self.pki.oemRoot.certificate], peer: .evcc).validate(chain)
        guard case .failure = result else { Issue.record("accepted a chain that exceeds the path length"); return }
        let o = try await Loopback.handshake(server: Self.secc, client: Self.evcc(chain: chain, key: leaf.privateKey))
        #expect(!o.ok)
        #expect(o.serverRejected != nil)
    }

    @Test func p256LeafIsRefused() async throws {
        let (cert, _) = try TestPKI.issueP256(role: .vehicle, commonName: "WMIV1234567890P256", by: Self.pki.oemSubCA2)
        let chain = [cert, Self.pki.oemSubCA2.certificate, Self.pki.oemSubCA1.certificate]
        let result = await ChainValidator(roots: [Self.pki.oemRoot.certificate], peer: .evcc).validate(chain)
        guard case .failure(let f) = result else { Issue.record("accepted a P-256 leaf"); return }
        #expect(f.description.contains("secp521r1"))
    }

    @Test func tls12OnlyPeerIsRefused() async throws {
        let o = try await Loopback.handshake(server: Self.secc, client: Self.evcc()) { c in
            c.minimumTLSVersion = .tlsv12
            c.maximumTLSVersion = .tlsv12
        }
        #expect(!o.ok)
    }
}
