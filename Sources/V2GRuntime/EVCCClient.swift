import Logging
import NIOCore
import NIOPosix
import NIOTLS
import V2GSecurity
import V2GSession
import V2GTP

/// The EVCC runtime: connects to the SECC (address from SDP or given), runs one `EVCCSession` to
/// its end and returns the result. Response timers run on the event loop.
public enum EVCCClient {
    public struct Configuration: Sendable {
        public var session: EVCCConfiguration
        public var host: String
        public var port: Int
        public var security: TransportSecurity
        /// Pause between charge loop requests (V2G_EVCC_Sequence_Performance_Time allows up to 250 ms).
        public var chargeLoopInterval: Duration
        /// Pause before repeating a request the SECC answered with Ongoing (authorization, cable
        /// check, pre-charge).
        public var ongoingInterval: Duration

        public init(session: EVCCConfiguration, host: String, port: Int, security: TransportSecurity,
                    chargeLoopInterval: Duration = .milliseconds(50), ongoingInterval: Duration = .milliseconds(50)) {
            self.session = session; self.host = host; self.port = port; self.security = security
            self.chargeLoopInterval = chargeLoopInterval
            self.ongoingInterval = ongoingInterval
        }
    }

    public static func run(group: EventLoopGroup, configuration: Configuration, controller: EVController,
                           logger: Logger = Logger(label: "v2g.evcc")) async throws -> SessionResult {
        if let warning = configuration.security.warning { logger.warning("\(warning)") }
        let done = group.next().makePromise(of: SessionResult.self)
        let handlers = try V2GPipeline(security: configuration.security)
        let channel = try await ClientBootstrap(group: group)
            .channelInitializer { ch in
                ch.eventLoop.makeCompletedFuture {
                    let sync = ch.pipeline.syncOperations
                    try handlers.addHandlers(to: sync, logger: logger)
                    try sync.addHandler(EVCCConnection(configuration: configuration, controller: controller, logger: logger, done: done))
                }
            }
            .connect(host: configuration.host, port: configuration.port).get()
        _ = channel
        return try await done.futureResult.get()
    }
}

final class EVCCConnection: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = V2GTPFrame
    typealias OutboundOut = V2GTPFrame

    private var session: EVCCSession
    private let configuration: EVCCClient.Configuration
    private let controller: EVController
    private let logger: Logger
    private let done: EventLoopPromise<SessionResult>
    private var responseTimer: Scheduled<Void>?
    /// V2G_EVCC_CommunicationSetup_Timeout, from the TCP connection on.
    private var setupTimer: Scheduled<Void>?
    private let started = ContinuousClock.now
    private var messages = 0
    private var turnarounds: [Duration] = []
    private var lastLoopSent: ContinuousClock.Instant?
    private var finished = false

    init(configuration: EVCCClient.Configuration, controller: EVController, logger: Logger, done: EventLoopPromise<SessionResult>) {
        session = EVCCSession(configuration: configuration.session)
        self.configuration = configuration
        self.controller = controller
        self.logger = logger
        self.done = done
    }

    /// The EV's inputs with the session's monotonic time, for the phase timeouts.
    private func inputs() -> EVInputs {
        var ev = controller.inputs(timestamp: unixTime())
        ev.elapsed = ContinuousClock.now - started
        return ev
    }

    func channelActive(context: ChannelHandlerContext) {
        context.fireChannelActive()
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        setupTimer = context.eventLoop.scheduleTask(in: TimeAmount(V2GTiming.evccCommunicationSetupTimeout)) {
            let (handler, ctx) = loopBound.value
            handler.perform(handler.session.communicationSetupTimerExpired(), context: ctx)
        }
        // Over plain TCP the session starts now; with TLS once the handshake is done, so that
        // V2G_EVCC_Msg_Timeout for supportedAppProtocolReq does not include the handshake.
        if !configuration.security.isConformant { perform(session.start(ev: inputs()), context: context) }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event { perform(session.start(ev: inputs()), context: context) }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        responseTimer?.cancel()
        messages += 1
        let response: SECCResponse
        do {
            response = try MessageWire.response(unwrapInboundIn(data))
        } catch {
            logger.error("malformed response: \(error)")
            perform(session.connectionLost(), context: context)
            return
        }
        if let sent = lastLoopSent { turnarounds.append(ContinuousClock.now - sent); lastLoopSent = nil }
        logger.info("← \(MessageWire.name(response))")
        let before = session.state
        let actions = session.receive(response, ev: inputs())
        // Pace the charge loop and repeated (Ongoing) requests as a real EV does; the rest goes at once.
        let pause: Duration? = session.state == .chargeLoop ? configuration.chargeLoopInterval
            : session.state == before && session.state != .ended ? configuration.ongoingInterval : nil
        if let pause {
            let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            context.eventLoop.scheduleTask(in: TimeAmount(pause)) {
                let (handler, ctx) = loopBound.value
                handler.perform(actions, context: ctx)
            }
        } else {
            perform(actions, context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        perform(session.connectionLost(), context: context)
        if !finished {
            finished = true
            done.fail(ChannelError.eof)
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.error("connection error: \(error)")
        if !finished {
            finished = true
            done.fail(error)
        }
        context.close(promise: nil)
    }

    private func perform(_ actions: [EVCCAction], context: ChannelHandlerContext) {
        for action in actions {
            switch action {
            case .send(let request):
                do {
                    let frame = try MessageWire.frame(request)
                    messages += 1
                    if request.kind == .dcChargeLoop { lastLoopSent = ContinuousClock.now }
                    logger.info("→ \(MessageWire.name(request))")
                    context.writeAndFlush(wrapOutboundOut(frame), promise: nil)
                } catch {
                    logger.error("cannot encode \(MessageWire.name(request)): \(error)")
                }
            case .startResponseTimer(let timeout):
                responseTimer?.cancel()
                let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
                responseTimer = context.eventLoop.scheduleTask(in: TimeAmount(timeout)) {
                    let (handler, ctx) = loopBound.value
                    handler.logger.warning("V2G_EVCC_Msg_Timeout expired")
                    handler.perform(handler.session.responseTimerExpired(), context: ctx)
                }
            case .endSession(let end):
                responseTimer?.cancel()
                setupTimer?.cancel()
                controller.handle(action)
                guard !finished else { continue }
                finished = true
                logger.info("session ended: \(end)")
                done.succeed(SessionResult(role: .evcc, end: end, messages: messages, duration: ContinuousClock.now - started,
                                           chargeLoopTurnarounds: turnarounds, paused: session.pausedSession))
                context.close(promise: nil)
            case .chargeTarget, .evsePresent:
                controller.handle(action)
            }
        }
    }
}
