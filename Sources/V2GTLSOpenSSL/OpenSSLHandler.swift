#if OpenSSL
import NIOCore
import NIOTLS
import V2GTLS

/// TLS 1.3 through OpenSSL for one channel: ciphertext below, plaintext above. It reports the
/// handshake with NIOTLS's `TLSUserEvent.handshakeCompleted` (what the runtimes wait for) and
/// then `TLSNegotiated`; writes made before the handshake finished wait for it; failures are
/// `TLSError`s (the alert named), after which the channel closes.
final class OpenSSLHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum State { case idle, handshaking, active, closed }

    private let connection: OpenSSLConnection
    private var state = State.idle
    private var waiting: [(ByteBuffer, EventLoopPromise<Void>?)] = []

    init(connection: OpenSSLConnection) { self.connection = connection }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    private func start(_ context: ChannelHandlerContext) {
        guard state == .idle else { return }
        state = .handshaking
        // The client speaks first (ClientHello); the server's call only prepares.
        handshake(context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        connection.feed(unwrapInboundIn(data))
        switch state {
        case .idle:
            state = .handshaking
            handshake(context)
        case .handshaking: handshake(context)
        case .active: readApplicationData(context)
        case .closed: break
        }
    }

    private func handshake(_ context: ChannelHandlerContext) {
        let step = connection.handshake()
        sendPending(context)
        switch step {
        case .wantRead: break
        case .done:
            state = .active
            context.fireUserInboundEventTriggered(TLSUserEvent.handshakeCompleted(negotiatedProtocol: nil))
            context.fireUserInboundEventTriggered(connection.negotiated)
            let writes = waiting
            waiting = []
            for (buffer, promise) in writes { write(context: context, data: wrapOutboundOut(buffer), promise: promise) }
            if !writes.isEmpty { context.flush() }
            readApplicationData(context)
        case .closed: fail(context, .closedDuringHandshake)
        case .failed(let error): fail(context, error)
        }
    }

    private func readApplicationData(_ context: ChannelHandlerContext) {
        var buffer = context.channel.allocator.buffer(capacity: 0)
        let step = connection.read(into: &buffer)
        if buffer.readableBytes > 0 { context.fireChannelRead(wrapInboundOut(buffer)) }
        sendPending(context)
        switch step {
        case .done, .wantRead: break
        case .closed:
            // The peer's close_notify: answer it and close.
            connection.shutdown()
            sendPending(context)
            state = .closed
            context.close(promise: nil)
        case .failed(let error): fail(context, error)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let buffer = unwrapOutboundIn(data)
        switch state {
        case .idle, .handshaking: waiting.append((buffer, promise))
        case .closed: promise?.fail(ChannelError.ioOnClosedChannel)
        case .active:
            switch connection.write(buffer) {
            case .done, .wantRead:
                if let bytes = connection.drain(context.channel.allocator) {
                    context.write(wrapOutboundOut(bytes), promise: promise)
                } else {
                    promise?.succeed(())
                }
            case .closed:
                promise?.fail(ChannelError.ioOnClosedChannel)
            case .failed(let error):
                promise?.fail(error)
                fail(context, error)
            }
        }
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        if state == .active {
            // close_notify before the TCP close.
            connection.shutdown()
            if let bytes = connection.drain(context.channel.allocator) {
                context.writeAndFlush(wrapOutboundOut(bytes), promise: nil)
            }
        }
        state = .closed
        failWaiting(ChannelError.ioOnClosedChannel)
        context.close(mode: mode, promise: promise)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if state == .handshaking || state == .idle { context.fireErrorCaught(TLSError.closedDuringHandshake) }
        state = .closed
        failWaiting(ChannelError.ioOnClosedChannel)
        context.fireChannelInactive()
    }

    private func sendPending(_ context: ChannelHandlerContext) {
        guard let bytes = connection.drain(context.channel.allocator) else { return }
        context.writeAndFlush(wrapOutboundOut(bytes), promise: nil)
    }

    private func fail(_ context: ChannelHandlerContext, _ error: TLSError) {
        guard state != .closed else { return }
        // The alert OpenSSL wrote, if any, goes out before the close.
        sendPending(context)
        state = .closed
        failWaiting(error)
        context.fireErrorCaught(error)
        context.close(promise: nil)
    }

    private func failWaiting(_ error: any Error) {
        let writes = waiting
        waiting = []
        for (_, promise) in writes { promise?.fail(error) }
    }
}
#endif
