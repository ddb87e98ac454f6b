import NIOCore
import NIOConcurrencyHelpers
import NIOPosix
import V2GTP

#if canImport(Glibc)
import Glibc
#endif

/// The SECC side of SDP: answers requests on UDP port 15118 with the address, port and security
/// of the SECC's TCP/TLS server. On a named interface it joins ff02::1 (link-local all-nodes), as
/// EVCCs send their requests there; bound to a unicast address it serves tests without multicast.
public final class SDPServer: Sendable {
    public struct Configuration: Sendable {
        /// Address to bind: "::" for a real link, "::1" or "127.0.0.1" on loopback.
        public var bindHost: String
        public var port: Int
        /// Interface to join ff02::1 on (e.g. the PLC modem's "eth1"); nil for unicast only.
        public var interface: String?
        /// What responses announce.
        public var seccAddress: [UInt8]
        public var seccPort: UInt16
        public var security: SDPSecurity

        public init(bindHost: String = "::", port: Int = 15118, interface: String? = nil,
                    seccAddress: [UInt8], seccPort: UInt16, security: SDPSecurity) {
            self.bindHost = bindHost; self.port = port; self.interface = interface
            self.seccAddress = seccAddress; self.seccPort = seccPort; self.security = security
        }
    }

    public let channel: Channel
    public var localPort: Int? { channel.localAddress?.port }

    private init(channel: Channel) { self.channel = channel }

    public static func start(group: EventLoopGroup, configuration: Configuration,
                             log: @escaping @Sendable (String) -> Void = { _ in }) async throws -> SDPServer {
        let response = SDPResponse(address: configuration.seccAddress, port: configuration.seccPort, security: configuration.security).frame
        let channel = try await DatagramBootstrap(group: group)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelInitializer { ch in
                ch.eventLoop.makeCompletedFuture {
                    try ch.pipeline.syncOperations.addHandler(Responder(response: response, log: log))
                }
            }
            .bind(host: configuration.bindHost, port: configuration.port).get()
        if let name = configuration.interface {
            guard let device = try System.enumerateDevices().first(where: { $0.name == name && $0.address?.protocol == .inet6 }),
                  let multicast = channel as? MulticastChannel else {
                try await channel.close()
                throw SDPNetworkError.noSuchInterface(name)
            }
            try await multicast.joinGroup(try SocketAddress(ipAddress: "ff02::1", port: configuration.port), device: device).get()
        }
        return SDPServer(channel: channel)
    }

    public func close() async throws { try await channel.close() }

    final class Responder: ChannelInboundHandler, Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        typealias OutboundOut = AddressedEnvelope<ByteBuffer>
        let response: [UInt8]
        let log: @Sendable (String) -> Void

        init(response: [UInt8], log: @escaping @Sendable (String) -> Void) {
            self.response = response
            self.log = log
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = unwrapInboundIn(data)
            let bytes = Array(envelope.data.readableBytesView)
            do {
                let request = try SDPRequest(frame: bytes)
                log("SDP request from \(envelope.remoteAddress): security \(request.security), transport \(request.transport)")
                let out = context.channel.allocator.buffer(bytes: response)
                context.writeAndFlush(wrapOutboundOut(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: out)), promise: nil)
            } catch {
                // A malformed request gets no answer; the server keeps serving.
                log("SDP: ignored datagram from \(envelope.remoteAddress): \(error)")
            }
        }
    }
}

public enum SDPNetworkError: Error, Sendable, CustomStringConvertible {
    case noSuchInterface(String)
    case noResponse(tries: Int)

    public var description: String {
        switch self {
        case .noSuchInterface(let n): return "no IPv6 interface named \(n)"
        case .noResponse(let n): return "no SECC answered \(n) SDP requests"
        }
    }
}

/// The EVCC side of SDP: sends the request and takes the first valid answer that offers the
/// requested security; 250 ms per try, up to 50 tries (PROTOCOL-NOTES §3).
public enum SDPClient {
    public static let retryInterval = TimeAmount.milliseconds(250)
    public static let maximumTries = 50

    /// The all-nodes link-local multicast address on `interface`, port 15118.
    public static func multicastTarget(interface: String, port: Int = 15118) throws -> SocketAddress {
        var addr = sockaddr_in6()
        addr.sin6_family = sa_family_t(AF_INET6)
        addr.sin6_port = in_port_t(UInt16(port).bigEndian)
        _ = inet_pton(AF_INET6, "ff02::1", &addr.sin6_addr)
        addr.sin6_scope_id = if_nametoindex(interface)
        guard addr.sin6_scope_id != 0 else { throw SDPNetworkError.noSuchInterface(interface) }
        return SocketAddress(addr, host: "ff02::1%\(interface)")
    }

    public static func discover(group: EventLoopGroup, target: SocketAddress, request: SDPRequest,
                                interface: String? = nil, tries: Int = maximumTries,
                                interval: TimeAmount = retryInterval) async throws -> SDPResponse {
        let collector = Collector(request: request)
        let bindHost = target.protocol == .inet6 ? "::" : "0.0.0.0"
        let channel = try await DatagramBootstrap(group: group)
            .channelInitializer { ch in
                ch.eventLoop.makeCompletedFuture { try ch.pipeline.syncOperations.addHandler(collector) }
            }
            .bind(host: bindHost, port: 0).get()
        defer { channel.close(promise: nil) }
        if let interface, target.protocol == .inet6 {
            let option = ChannelOptions.socket(.init(CInt(IPPROTO_IPV6)), .init(IPV6_MULTICAST_IF))
            try await channel.setOption(option, value: Int(if_nametoindex(interface))).get()
        }
        for _ in 0..<tries {
            let answer = channel.eventLoop.makePromise(of: SDPResponse?.self)
            collector.waiting.withLockedValue { $0 = answer }
            let timeout = channel.eventLoop.scheduleTask(in: interval) { answer.succeed(nil) }
            let buffer = channel.allocator.buffer(bytes: request.frame)
            try await channel.writeAndFlush(AddressedEnvelope(remoteAddress: target, data: buffer))
            let response = try await answer.futureResult.get()
            timeout.cancel()
            if let response { return response }
        }
        throw SDPNetworkError.noResponse(tries: tries)
    }

    /// Completes the waiting promise with the first response that offers what was asked for.
    final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        let request: SDPRequest
        let waiting = NIOLockedValueBox<EventLoopPromise<SDPResponse?>?>(nil)

        init(request: SDPRequest) { self.request = request }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let bytes = Array(unwrapInboundIn(data).data.readableBytesView)
            // Anything that is not a valid, matching response is ignored: the EVCC keeps waiting.
            guard let response = try? SDPResponse(frame: bytes),
                  response.security == request.security, response.transport == request.transport else { return }
            waiting.withLockedValue { promise in
                promise?.succeed(response)
                promise = nil
            }
        }
    }
}
