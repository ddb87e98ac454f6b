import EXI
import Foundation
import ISO20Common
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import V2GSession
import V2GTP

/// How a peer misbehaves at the TCP and V2GTP level, in place of the frame it should send.
enum Misbehaviour: String, CaseIterable, Sendable, CustomStringConvertible {
    /// Closes the connection (FIN).
    case close
    /// Resets the connection (RST: SO_LINGER 0).
    case reset
    /// Sends the first half of the frame, then closes (a peer that dies mid-write).
    case closeMidFrame
    /// Sends nothing more and keeps the connection open.
    case silent
    /// Sends bytes that are no V2GTP header (a wrong protocol version).
    case garbage
    /// Sends a V2GTP header announcing 4 GiB.
    case hugeLength
    /// Sends a V2GTP header announcing 60,000 bytes, then one byte every 20 ms.
    case trickle
    /// Sends a valid frame of another message set: a -20 CommonMessages frame before the
    /// supportedAppProtocol handshake, its supportedAppProtocol frame again after it.
    case otherSet
    /// Sends the frame twice without waiting for an answer.
    case twoAtOnce

    var description: String { rawValue }
}

/// Which way a frame crosses the proxy.
enum Direction: Sendable, Hashable { case toSECC, toEVCC }

/// A TCP proxy between our EVCC and our SECC that passes the V2GTP frames of a session on
/// unchanged until the first frame named `trigger` going `direction`. In its place it misbehaves
/// towards that frame's receiver, the side under test (the victim), and closes the other side,
/// then records what the victim still sends. With the real engines on both ends, every state a
/// session passes through can be reached without scripting either protocol side.
final class MisbehavingProxy: Sendable {
    struct Trigger: Sendable, Hashable, CustomStringConvertible {
        var message: String
        var direction: Direction
        var description: String { message }
    }

    /// What the proxy saw: the labels of the frames it passed, and after the trigger what the
    /// victim sent (labels, with response codes) and whether the victim closed the connection.
    struct Observed: Sendable {
        var passed: [(Direction, String)] = []
        var triggered = false
        /// Whether the misbehaviour reached the victim's connection (false: it was not open).
        var misbehaved = false
        var victimSent: [String] = []
        var victimResponseCodes: [ResponseCodeType] = []
        var victimClosed = false
    }

    let port: Int
    private let listener: Channel
    private let state: NIOLockedValueBox<Observed>
    /// The relayed connections, to close whatever is left of them.
    private let relays: NIOLockedValueBox<[Relay]>
    var observed: Observed { state.withLockedValue { $0 } }

    private init(listener: Channel, state: NIOLockedValueBox<Observed>, relays: NIOLockedValueBox<[Relay]>) {
        self.listener = listener; self.state = state; self.relays = relays
        port = listener.localAddress?.port ?? 0
    }

    /// Listens on 127.0.0.1 for one EVCC and relays it to the SECC on `seccPort`. Everything the
    /// proxy does runs on `loop`.
    static func start(loop: any EventLoop, seccPort: Int, trigger: Trigger?, misbehaviour: Misbehaviour) async throws -> MisbehavingProxy {
        let state = NIOLockedValueBox(Observed())
        let relays = NIOLockedValueBox<[Relay]>([])
        let listener = try await ServerBootstrap(group: loop)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.maxMessagesPerRead, value: 1)
            .childChannelInitializer { evccSide in
                let relay = Relay(loop: loop, trigger: trigger, misbehaviour: misbehaviour, state: state)
                relays.withLockedValue { $0.append(relay) }
                relay.evccSide = evccSide
                return evccSide.pipeline.addHandler(Relay.Side(relay, .toSECC)).flatMap {
                    ClientBootstrap(group: loop)
                        .channelInitializer { $0.pipeline.addHandler(Relay.Side(relay, .toEVCC)) }
                        .connect(host: "127.0.0.1", port: seccPort)
                        .map { relay.seccSide = $0; relay.flushPending() }
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return MisbehavingProxy(listener: listener, state: state, relays: relays)
    }

    /// Stops listening and closes every relayed connection still open (a case that failed).
    func close() async {
        try? await listener.close()
        for relay in relays.withLockedValue({ $0 }) { await relay.close() }
    }
}

/// The two connections of one relayed session; only ever touched on the proxy's event loop.
final class Relay: @unchecked Sendable {
    let loop: any EventLoop
    let trigger: MisbehavingProxy.Trigger?
    let misbehaviour: Misbehaviour
    let state: NIOLockedValueBox<MisbehavingProxy.Observed>
    var evccSide: Channel?
    var seccSide: Channel?
    private var buffers: [Direction: ByteBuffer] = [:]
    private let parser = V2GTPFrameParser(maximumPayload: UInt32.max, allowedTypes: Set(0...UInt16.max))
    /// The supportedAppProtocol frame each way, for `otherSet`.
    private var appProtocolFrames: [Direction: V2GTPFrame] = [:]
    /// Frames to the SECC that came before its connection was up.
    private var pending: [ByteBuffer] = []
    private var victim: Direction?
    private var trickle: RepeatedTask?

    init(loop: any EventLoop, trigger: MisbehavingProxy.Trigger?, misbehaviour: Misbehaviour, state: NIOLockedValueBox<MisbehavingProxy.Observed>) {
        self.loop = loop; self.trigger = trigger; self.misbehaviour = misbehaviour; self.state = state
    }

    /// The channel the frames going `direction` are written to.
    private func channel(_ direction: Direction) -> Channel? { direction == .toSECC ? seccSide : evccSide }

    /// Closes both connections and stops a trickle, on the proxy's event loop.
    func close() async {
        try? await loop.submit { [self] in
            trickle?.cancel()
            evccSide?.close(promise: nil)
            seccSide?.close(promise: nil)
        }.get()
    }

    func flushPending() {
        for bytes in pending { seccSide?.writeAndFlush(bytes, promise: nil) }
        pending = []
    }

    /// Bytes that arrived from the side that sends frames going `direction`.
    func received(_ bytes: inout ByteBuffer, going direction: Direction) {
        if let victim, direction != victim {
            // The victim speaks after the trigger: record it, pass nothing on.
            buffers[direction, default: ByteBuffer()].writeBuffer(&bytes)
            while let frame = try? parser.parse(&buffers[direction]!) { recordVictim(frame, going: direction) }
            return
        }
        guard victim == nil else { return }
        buffers[direction, default: ByteBuffer()].writeBuffer(&bytes)
        while victim == nil, let frame = try? parser.parse(&buffers[direction]!) {
            let label = Self.label(frame, going: direction)
            if frame.payloadType == V2GTPPayloadType.sap.rawValue { appProtocolFrames[direction] = frame }
            if let trigger, trigger.direction == direction, trigger.message == label {
                misbehave(instead: frame, going: direction)
                return
            }
            state.withLockedValue { $0.passed.append((direction, label)) }
            write(Self.bytes(frame), going: direction)
        }
    }

    private func write(_ bytes: ByteBuffer, going direction: Direction) {
        if direction == .toSECC, seccSide == nil { pending.append(bytes); return }
        channel(direction)?.writeAndFlush(bytes, promise: nil)
    }

    private func recordVictim(_ frame: V2GTPFrame, going direction: Direction) {
        let label = Self.label(frame, going: direction)
        let code: ResponseCodeType? = direction == .toEVCC ? (try? V2GResponse(frame: frame))?.responseCode : nil
        state.withLockedValue {
            $0.victimSent.append(label + (code.map { "(\($0.rawValue))" } ?? ""))
            if let code { $0.victimResponseCodes.append(code) }
        }
    }

    func closed(going direction: Direction) {
        // The victim's own connection closed (the frames it sends go the other way).
        if let victim, direction != victim { state.withLockedValue { $0.victimClosed = true } }
        trickle?.cancel()
        if victim == nil { evccSide?.close(promise: nil); seccSide?.close(promise: nil) }
    }

    private func misbehave(instead frame: V2GTPFrame, going direction: Direction) {
        victim = direction
        state.withLockedValue { $0.triggered = true }
        // The well-behaved side is done with.
        channel(direction == .toSECC ? .toEVCC : .toSECC)?.close(promise: nil)
        // Without the victim's connection nothing can be done to it: `misbehaved` stays false,
        // and the test fails the case rather than count silence as the misbehaviour.
        guard let to = channel(direction) else { return }
        state.withLockedValue { $0.misbehaved = true }
        switch misbehaviour {
        case .close:
            to.close(promise: nil)
        case .reset:
            // SO_LINGER 0: the close sends RST instead of FIN.
            let lingering = (to as? SocketOptionProvider)?.setSoLinger(linger(l_onoff: 1, l_linger: 0)) ?? loop.makeSucceededVoidFuture()
            lingering.whenComplete { _ in to.close(promise: nil) }
        case .closeMidFrame:
            let whole = Self.bytes(frame)
            to.writeAndFlush(whole.getSlice(at: whole.readerIndex, length: whole.readableBytes / 2)!, promise: nil)
            to.close(promise: nil)
        case .silent:
            break
        case .garbage:
            to.writeAndFlush(ByteBuffer(bytes: [0x02, 0xFD, 0x80, 0x02, 0x00, 0x00, 0x00, 0x04, 0xDE, 0xAD, 0xBE, 0xEF]), promise: nil)
        case .hugeLength:
            to.writeAndFlush(ByteBuffer(bytes: V2GTPHeader(payloadType: frame.payloadType, payloadLength: 0xFFFF_FFF0).bytes + [0x80]), promise: nil)
        case .trickle:
            to.writeAndFlush(ByteBuffer(bytes: V2GTPHeader(payloadType: frame.payloadType, payloadLength: 60_000).bytes), promise: nil)
            trickle = loop.scheduleRepeatedTask(initialDelay: .milliseconds(20), delay: .milliseconds(20)) { task in
                guard to.isActive else { task.cancel(); return }
                to.writeAndFlush(ByteBuffer(bytes: [0x80]), promise: nil)
            }
        case .otherSet:
            to.writeAndFlush(Self.bytes(otherSet(than: frame, going: direction)), promise: nil)
        case .twoAtOnce:
            var both = Self.bytes(frame)
            var again = Self.bytes(frame)
            both.writeBuffer(&again)
            to.writeAndFlush(both, promise: nil)
        }
    }

    /// A valid frame of another message set going `direction`.
    private func otherSet(than frame: V2GTPFrame, going direction: Direction) -> V2GTPFrame {
        if frame.payloadType != V2GTPPayloadType.sap.rawValue, let sap = appProtocolFrames[direction] { return sap }
        let header = MessageHeaderType(sessionID: ShortBinary(repeating: 0, count: 8), timeStamp: 1_795_542_185)
        let message: V2GRequest = .common(.sessionStopReq(SessionStopReqType(header: header, chargingSession: .terminate)))
        let response: V2GResponse = .common(.sessionStopRes(SessionStopResType(header: header, responseCode: .ok)))
        // Encoding fixed, schema-valid messages cannot fail.
        return direction == .toSECC ? try! message.frame() : try! response.frame()
    }

    static func bytes(_ frame: V2GTPFrame) -> ByteBuffer {
        ByteBuffer(bytes: V2GTPHeader(payloadType: frame.payloadType, payloadLength: UInt32(frame.payload.count)).bytes + frame.payload)
    }

    /// The message's name; PowerDelivery with its ChargeProgress, which tells the phases apart.
    static func label(_ frame: V2GTPFrame, going direction: Direction) -> String {
        if direction == .toSECC {
            guard let request = try? V2GRequest(frame: frame) else { return "0x\(String(frame.payloadType, radix: 16)) frame" }
            if case .common(.powerDeliveryReq(let r)) = request { return "PowerDeliveryReq(\(r.chargeProgress.rawValue))" }
            return request.name
        } else {
            guard let response = try? V2GResponse(frame: frame) else { return "0x\(String(frame.payloadType, radix: 16)) frame" }
            return response.name
        }
    }

    /// One of the relay's two connections.
    final class Side: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        let relay: Relay
        /// The way the frames read here go.
        let direction: Direction
        init(_ relay: Relay, _ direction: Direction) { self.relay = relay; self.direction = direction }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var bytes = unwrapInboundIn(data)
            relay.received(&bytes, going: direction)
        }

        func channelInactive(context: ChannelHandlerContext) {
            relay.closed(going: direction)
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }
}
