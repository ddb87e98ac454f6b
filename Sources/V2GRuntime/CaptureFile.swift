import Foundation
import NIOConcurrencyHelpers
import NIOCore
import V2GCapture

/// A pcapng file of the sessions a runtime runs (`--capture`): each connection's TCP bytes as
/// packets, made up around what the connection sent and received (the runtime sees bytes, not
/// packets: `TCPConversation`), and the TLS secrets as Decryption Secrets Blocks, so that
/// `v2g trace` and Wireshark/tshark decode it without a separate key log. A connection is written
/// when it closes, its secrets first (every key-log line logged by then), so that a reader has
/// the keys before the records. Test use only: the secrets decrypt the sessions.
public final class CaptureFile: Sendable {
    private struct State {
        var handle: FileHandle?
        var pendingKeyLog: [String] = []
    }
    private let state: NIOLockedValueBox<State>

    public init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data(PcapNGWriter.header()), attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteNoPermission)
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        state = NIOLockedValueBox(State(handle: handle))
    }

    /// A key-log line (the TLS profile's `keyLog`): written with the next connection.
    public func keyLogLine(_ line: String) {
        state.withLockedValue { $0.pendingKeyLog.append(line.hasSuffix("\n") ? line : line + "\n") }
    }

    /// A closed connection's packets, each with its time (nanoseconds since the epoch).
    func write(_ packets: [(time: Int64, bytes: [UInt8])]) {
        state.withLockedValue { s in
            guard let handle = s.handle else { return }
            var out: [UInt8] = []
            if !s.pendingKeyLog.isEmpty {
                out += PcapNGWriter.secrets(keyLog: s.pendingKeyLog.joined())
                s.pendingKeyLog = []
            }
            for p in packets { out += PcapNGWriter.packet(time: p.time, p.bytes) }
            handle.write(Data(out))
        }
    }

    public func close() {
        state.withLockedValue { s in
            try? s.handle?.close()
            s.handle = nil
        }
    }
}

/// Records a connection's bytes as they go over the wire (below TLS) for `CaptureFile`.
final class CaptureHandler: ChannelDuplexHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let file: CaptureFile
    /// The EVCC's side opened the connection.
    private let isClient: Bool
    private var conversation: TCPConversation?
    private var packets: [(time: Int64, bytes: [UInt8])] = []

    init(file: CaptureFile, isClient: Bool) { self.file = file; self.isClient = isClient }

    static func now() -> Int64 {
        var t = timespec()
        clock_gettime(CLOCK_REALTIME, &t)
        return Int64(t.tv_sec) * 1_000_000_000 + Int64(t.tv_nsec)
    }

    static func endpoint(_ address: SocketAddress?) -> Endpoint? {
        guard let address, let port = address.port else { return nil }
        switch address {
        case .v4(let a):
            return Endpoint(IPAddress(withUnsafeBytes(of: a.address.sin_addr) { Array($0) }), UInt16(port))
        case .v6(let a):
            return Endpoint(IPAddress(withUnsafeBytes(of: a.address.sin6_addr) { Array($0) }), UInt16(port))
        default:
            return nil
        }
    }

    func channelActive(context: ChannelHandlerContext) {
        if let local = Self.endpoint(context.channel.localAddress), let remote = Self.endpoint(context.channel.remoteAddress) {
            var c = isClient ? TCPConversation(client: local, server: remote) : TCPConversation(client: remote, server: local)
            let time = Self.now()
            packets += c.open().map { (time, $0) }
            conversation = c
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        record(Array(buffer: unwrapInboundIn(data)), fromClient: !isClient)
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        record(Array(buffer: unwrapOutboundIn(data)), fromClient: isClient)
        context.write(data, promise: promise)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if var c = conversation {
            let time = Self.now()
            packets += c.close().map { (time, $0) }
            conversation = nil
            file.write(packets)
            packets = []
        }
        context.fireChannelInactive()
    }

    private func record(_ bytes: [UInt8], fromClient: Bool) {
        guard var c = conversation, !bytes.isEmpty else { return }
        let time = Self.now()
        packets += c.data(fromClient: fromClient, bytes).map { (time, $0) }
        conversation = c
    }
}
