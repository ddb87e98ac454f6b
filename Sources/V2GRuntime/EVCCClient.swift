import ISO20Common
import Logging
import NIOCore
import NIOPosix
import NIOTLS
import V2GTLS
import V2GTLSNIOSSL
import V2GSession
import V2GTP
import XMLDSig
import V2GPKI

/// The EVCC runtime: connects to the SECC (address from SDP or given), runs one `EVCCSession` to
/// its end and returns the result. Response timers run on the event loop.
public enum EVCCClient {
    public struct Configuration: Sendable {
        public var session: EVCCConfiguration
        public var host: String
        public var port: Int
        public var security: TransportSecurity
        /// The TLS implementation behind the profile.
        public var tlsBackend: any TLSBackend
        /// The vehicle's keys: they sign for Plug & Charge and CertificateInstallation and take in
        /// installed contracts (`EVCCConfiguration.contract` and `.provisioning` name the chains).
        public var keys: (any VehicleKeyStore)?
        /// The roots signed price schedules must chain to (V2G, MO); nil: they are reported unchecked.
        public var priceScheduleRoots: [[UInt8]]?
        /// Record the connection (with the TLS secrets) in this pcapng file.
        public var capture: CaptureFile?
        /// Caps every timer the session starts (V2G_EVCC_Msg_Timeout, 2 s or 5 s; the 20 s of
        /// V2G_EVCC_CommunicationSetup_Timeout; pacing) at this duration: for test benches that
        /// must see a silent peer's end quickly. The Ongoing, CableCheck and PreCharge limits are
        /// measured on the session's clock, not timed, and stay. nil, the default: the standard's times.
        public var timerCap: Duration?
        /// Asked, the session ends in order (`ChargingStop`).
        public var stop: ChargingStop?

        /// The pacing of requests is the session's (`EVCCConfiguration.policy`).
        public init(session: EVCCConfiguration, host: String, port: Int, security: TransportSecurity,
                    tlsBackend: any TLSBackend = DefaultTLSBackend.backend, keys: (any VehicleKeyStore)? = nil,
                    priceScheduleRoots: [[UInt8]]? = nil, capture: CaptureFile? = nil, timerCap: Duration? = nil, stop: ChargingStop? = nil) {
            self.session = session; self.host = host; self.port = port; self.security = security; self.tlsBackend = tlsBackend
            self.keys = keys
            self.priceScheduleRoots = priceScheduleRoots
            self.capture = capture
            self.timerCap = timerCap
            self.stop = stop
        }
    }

    public static func run(group: EventLoopGroup, configuration: Configuration, controller: EVController,
                           logger: Logger = Logger(label: "v2g.evcc")) async throws -> SessionResult {
        if let warning = configuration.security.warning { logger.warning("\(warning)") }
        let done = group.next().makePromise(of: SessionResult.self)
        let handlers = try V2GPipeline(security: configuration.security, backend: configuration.tlsBackend, logger: logger,
                                       capture: configuration.capture, isClient: true)
        let channel = try await ClientBootstrap(group: group)
            .channelInitializer { ch in
                ch.eventLoop.makeCompletedFuture {
                    let sync = ch.pipeline.syncOperations
                    try handlers.addHandlers(to: sync)
                    try sync.addHandler(EVCCConnection(configuration: configuration, controller: controller, logger: logger, done: done))
                }
            }
            .connect(host: configuration.host, port: configuration.port).get()
        // Cancelled (a shutdown's time is up), the session ends as shut down and the connection
        // closes; `run` returns that end.
        return try await withTaskCancellationHandler {
            try await done.futureResult.get()
        } onCancel: {
            channel.pipeline.handler(type: EVCCConnection.self).whenComplete { found in
                if case .success(let connection) = found { connection.shutdown() } else { channel.close(promise: nil) }
            }
        }
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
    private let timers: SessionTimers
    private var record = SessionRecord(role: .evcc)
    private var lastLoopSent: ContinuousClock.Instant?
    /// Whether the session began (over TLS: once the handshake completed).
    private var sessionBegan = false
    /// Set while the handler is in a pipeline (read and written on its event loop only).
    private var context: ChannelHandlerContext?

    init(configuration: EVCCClient.Configuration, controller: EVController, logger: Logger, done: EventLoopPromise<SessionResult>) {
        session = EVCCSession(configuration: configuration.session, tls: configuration.security.isConformant)
        timers = SessionTimers(cap: configuration.timerCap)
        self.configuration = configuration
        self.controller = controller
        self.logger = logger
        self.done = done
    }

    /// The EV's inputs with the session's monotonic time, for the phase timeouts; charging
    /// complete once a stop was asked.
    private func inputs() -> EVInputs {
        var ev = controller.inputs(timestamp: unixTime())
        ev.elapsed = ContinuousClock.now - record.started
        if configuration.stop?.isRequested == true { ev.chargingComplete = true }
        return ev
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    /// The vehicle shuts down and its grace time is up: the engine's `shutdown`, which ends the
    /// session and closes the connection. On the connection's event loop.
    func shutdown() {
        guard let context else { return }
        perform(session.shutdown(), context: context)
    }

    func channelActive(context: ChannelHandlerContext) {
        context.fireChannelActive()
        perform(session.connectionOpened(), context: context)
        // Over plain TCP the session starts now; with TLS once the handshake is done, so that
        // V2G_EVCC_Msg_Timeout for supportedAppProtocolReq does not include the handshake.
        if !configuration.security.isConformant { sessionBegan = true; perform(session.start(ev: inputs()), context: context) }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let negotiated = event as? TLSNegotiated { logger.info("TLS: \(negotiated)") }
        if case TLSUserEvent.handshakeCompleted = event {
            record.handshake = ContinuousClock.now - record.started
            sessionBegan = true
            perform(session.start(ev: inputs()), context: context)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        // The loop's turnaround: the next main-stream frame after a loop request (a side-stream
        // answer in between is not it).
        if let sent = lastLoopSent, SideStream(payloadType: frame.payloadType) == nil {
            record.turnarounds.append(ContinuousClock.now - sent); lastLoopSent = nil
        }
        _ = record.received(frame, request: false, logger: logger)
        perform(session.receive(frame: frame, ev: inputs()), context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        perform(session.connectionLost(), context: context)
        if record.report(SessionEnd(reason: .connectionLost, detail: "channel closed"), paused: nil) != nil { done.fail(ChannelError.eof) }
        context.fireChannelInactive()
    }

    /// Before the session began (the TLS handshake failed) `run` throws the error. After it, the
    /// session ends with its reason and `run` returns it: a broken V2GTP stream as an unexpected
    /// response; a stream that ends inside a frame (the SECC closed mid-write), a reset or a TLS
    /// alert as a lost connection.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.error("connection error: \(error)")
        if !sessionBegan {
            if record.report(SessionEnd(reason: .connectionLost, detail: "\(error)"), paused: nil) != nil { done.fail(error) }
        } else if let framing = error as? V2GTPError, !framing.isTruncation {
            perform(session.framingFailed("\(framing)"), context: context)
        } else {
            perform(session.connectionLost("failed: \(error)"), context: context)
        }
        context.close(promise: nil)
    }

    private func perform(_ actions: [EVCCAction], context: ChannelHandlerContext) {
        for action in actions {
            switch action {
            case .installContract(let response):
                installContract(response, context: context)
            case .verifyPriceSchedules(let schedules, let signature):
                verifyPriceSchedules(schedules, signature, context: context)
            case .sign(let request):
                // One signature (about a millisecond for P-521) on the event loop, in order with
                // the session's other actions.
                do {
                    guard let keys = configuration.keys else { throw VehicleKeys.MissingKey(description: "no vehicle keys") }
                    perform(session.signed(try keys.sign(request), ev: inputs()), context: context)
                } catch {
                    logger.warning("signing failed: \(error)")
                    perform(session.signingFailed("\(error)", ev: inputs()), context: context)
                }
            case .send(let request):
                if request.kind?.isChargeLoop == true { lastLoopSent = ContinuousClock.now }
                record.send(request, on: context, logger: logger)
            case .sendOnSideStream(let request, let stream):
                record.send(request, on: context, stream: .side(stream), logger: logger)
            case .startTimer(let timer, let duration):
                timers.start(timer, duration, handler: self, context: context) { handler, context in
                    if timer != .pacing { handler.logger.warning("timer \(timer.rawValue) expired") }
                    handler.perform(handler.session.timerExpired(timer, ev: handler.inputs()), context: context)
                }
            case .cancelTimer(let timer):
                timers.cancel(timer)
            case .ev(let command):
                controller.perform(command)
            case .note(let text):
                logger.notice("\(text)")
            case .valueAddedServicesSelected(let services):
                logger.info("value-added services agreed: \(services.map(\.description).joined(separator: ", "))")
                controller.valueAddedServicesSelected(services)
            case .endSession(let end):
                timers.cancelAll()
                controller.sessionEnded(end)
                guard let result = record.report(end, paused: session.pausedSession) else { continue }
                logger.info("session ended: \(end)")
                done.succeed(result)
                context.close(promise: nil)
            }
        }
    }

    /// Checks and opens a received contract off the event loop (a few milliseconds of
    /// verification), then hands the result back to the engine on it.
    private func installContract(_ response: CertificateInstallationResType, context: ChannelHandlerContext) {
        let loop = context.eventLoop
        let logger = logger
        let handler = NIOLoopBound((self, context), eventLoop: loop)
        let keys = configuration.keys
        Task {
            let outcome: Result<EVCCContract, any Error>
            do {
                guard let keys else { throw VehicleKeys.MissingKey(description: "no vehicle keys") }
                outcome = .success(try await keys.install(response))
            } catch {
                outcome = .failure(error)
            }
            loop.execute {
                let (connection, context) = handler.value
                switch outcome {
                case .success(let contract):
                    logger.info("contract \(contract.emaid) installed: CPS signature and chain, contract chain and key checked")
                    connection.perform(connection.session.contractInstalled(contract, ev: connection.inputs()), context: context)
                case .failure(let error):
                    logger.warning("contract not installed: \(error)")
                    connection.perform(connection.session.contractInstallationFailed("\(error)", ev: connection.inputs()), context: context)
                }
            }
        }
    }

    /// Checks signed price schedules off the event loop and tells the controller; the session
    /// does not wait for it.
    private func verifyPriceSchedules(_ schedules: [CommonMessagesFragment], _ signature: SignatureType?, context: ChannelHandlerContext) {
        let logger = logger
        let controller = controller
        let loop = context.eventLoop
        let handler = NIOLoopBound(self, eventLoop: loop)
        /// The controller hears it on the connection's event loop, and not after the session ended.
        @Sendable func report(_ result: Result<String, PriceScheduleRefusal>) {
            loop.execute {
                guard handler.value.session.state != .ended else { return }
                controller.priceSchedulesChecked(result)
            }
        }
        guard let roots = configuration.priceScheduleRoots else {
            controller.priceSchedulesChecked(.failure(PriceScheduleRefusal("no trust store for price schedules configured")))
            return
        }
        Task {
            switch await PriceScheduleCheck(trustedRootsDER: roots).check(schedules, signature: signature) {
            case .success(let signer):
                logger.info("price schedules signed by \(signer): signature and chain ✓")
                report(.success(signer))
            case .failure(let refusal):
                logger.warning("price schedules not accepted: \(refusal)")
                report(.failure(PriceScheduleRefusal("\(refusal)")))
            }
        }
    }
}
