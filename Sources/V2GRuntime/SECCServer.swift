import EXI
import ISO20Common
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import V2GTLS
import V2GTLSNIOSSL
import V2GPKI
import V2GSession
import V2GTP
import XMLDSig

/// The SECC runtime: a TCP (TLS) server that runs one `SECCSession` per connection, with V2GTP
/// framing, the sequence timer on the event loop, and an `EVSEController` behind it.
public final class SECCServer: Sendable {
    public struct Configuration: Sendable {
        public var session: SECCConfiguration
        public var host: String
        public var port: Int
        public var security: TransportSecurity
        /// The TLS implementation behind the profile.
        public var tlsBackend: any TLSBackend
        /// Plug & Charge: the contract checks and the backend. Without it a PnC request is refused
        /// (WARNING_GeneralPnCAuthorizationError).
        public var plugAndCharge: SECCPlugAndCharge?
        /// Signs the price schedules of ScheduleExchangeRes (the backend's or the MO's key, with
        /// its certificate chain for the EV to check); nil: they go unsigned.
        public var priceScheduleSigner: PriceScheduleSigner?
        /// Provides the value-added services EVs select (`SECCConfiguration.valueAddedServices`
        /// says what is offered); nil: a selection is only logged.
        public var valueAddedServices: (any ValueAddedServiceProvider)?
        /// Record every connection (with the TLS secrets) in this pcapng file.
        public var capture: CaptureFile?
        /// Caps every timer the session starts (V2G_SECC_Sequence_Timeout is 60 s outside the
        /// loop) at this duration: for test benches that must see a silent peer's end quickly.
        /// nil, the default: the standard's times.
        public var timerCap: Duration?

        public init(session: SECCConfiguration, host: String = "::1", port: Int = 0, security: TransportSecurity,
                    tlsBackend: any TLSBackend = DefaultTLSBackend.backend, plugAndCharge: SECCPlugAndCharge? = nil,
                    priceScheduleSigner: PriceScheduleSigner? = nil, valueAddedServices: (any ValueAddedServiceProvider)? = nil,
                    capture: CaptureFile? = nil, timerCap: Duration? = nil) {
            self.session = session; self.host = host; self.port = port; self.security = security; self.tlsBackend = tlsBackend
            self.plugAndCharge = plugAndCharge; self.priceScheduleSigner = priceScheduleSigner
            self.valueAddedServices = valueAddedServices
            self.capture = capture
            self.timerCap = timerCap
        }
    }

    public let channel: Channel
    public var port: Int { channel.localAddress?.port ?? 0 }
    /// Sessions paused here, which a later connection may resume.
    public let pausedSessions: PausedSessions
    /// The connections open now (what a shutdown brings to an end).
    let connections: SECCConnections
    /// How many connections are open now.
    public var openConnections: Int { connections.all.count }

    private init(channel: Channel, pausedSessions: PausedSessions, connections: SECCConnections) {
        self.channel = channel; self.pausedSessions = pausedSessions; self.connections = connections
    }

    /// Starts listening. `onSessionEnd` receives each connection's result.
    public static func start(group: EventLoopGroup, configuration: Configuration, controller: EVSEController,
                             logger: Logger = Logger(label: "v2g.secc"),
                             onSessionEnd: @escaping @Sendable (SessionResult) -> Void = { _ in }) async throws -> SECCServer {
        try await start(group: group, configuration: configuration, controllers: { controller }, logger: logger, onSessionEnd: onSessionEnd)
    }

    /// Starts listening, each connection with its own controller from `controllers` (a charging
    /// park: one power module per charge point, the SECC serving them all).
    public static func start(group: EventLoopGroup, configuration: Configuration, controllers: @escaping @Sendable () -> EVSEController,
                             logger: Logger = Logger(label: "v2g.secc"),
                             onSessionEnd: @escaping @Sendable (SessionResult) -> Void = { _ in }) async throws -> SECCServer {
        if let warning = configuration.security.warning { logger.warning("\(warning)") }
        let handlers = try V2GPipeline(security: configuration.security, backend: configuration.tlsBackend, logger: logger,
                                       capture: configuration.capture, isClient: false)
        let paused = PausedSessions()
        let connections = SECCConnections()
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { ch in
                ch.eventLoop.makeCompletedFuture {
                    let sync = ch.pipeline.syncOperations
                    try handlers.addHandlers(to: sync)
                    try sync.addHandler(SECCConnection(configuration: configuration, controller: controllers(), paused: paused,
                                                       connections: connections, logger: logger, onSessionEnd: onSessionEnd))
                }
            }
            .bind(host: configuration.host, port: configuration.port).get()
        logger.notice("SECC listening on \(configuration.host) port \(channel.localAddress?.port ?? 0)")
        return SECCServer(channel: channel, pausedSessions: paused, connections: connections)
    }

    public func close() async throws { try await channel.close() }

    /// Shuts the charger down (SIGTERM, SIGINT): no new connections; every session's power off
    /// and contactor open at once, then each ends in order as far as its EV lets it within
    /// `grace` (the engine's `shutdown`: EVSENotification Terminate in the loop); what is still
    /// open after that is closed, which ends its session (contactor open) as a lost connection.
    /// Returns once every connection is closed.
    public func shutdown(grace: Duration = .seconds(5), logger: Logger? = nil) async {
        connections.shuttingDown = true
        try? await channel.close()
        let open = connections.all
        logger?.info("shutting down: \(open.count) session\(open.count == 1 ? "" : "s") to end, within \(grace)")
        for (connection, loop) in open { loop.execute { connection.shutdown() } }
        let deadline = ContinuousClock.now + grace
        while !connections.all.isEmpty, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(10)) }
        let left = connections.all
        if !left.isEmpty { logger?.warning("\(left.count) session\(left.count == 1 ? "" : "s") not ended within \(grace): closing") }
        for (connection, loop) in left { loop.execute { connection.close() } }
        let closing = ContinuousClock.now + .seconds(2)
        while !connections.all.isEmpty, ContinuousClock.now < closing { try? await Task.sleep(for: .milliseconds(10)) }
    }
}

/// The SECC's open connections with their event loops, for a shutdown to reach each on its own.
final class SECCConnections: Sendable {
    private let open = NIOLockedValueBox<[ObjectIdentifier: (SECCConnection, any EventLoop)]>([:])
    private let closing = NIOLockedValueBox(false)
    var all: [(SECCConnection, any EventLoop)] { open.withLockedValue { Array($0.values) } }
    /// Set when a shutdown begins: a connection accepted while it runs is shut down as it opens.
    var shuttingDown: Bool {
        get { closing.withLockedValue { $0 } }
        set { closing.withLockedValue { $0 = newValue } }
    }
    func add(_ c: SECCConnection, on loop: any EventLoop) { open.withLockedValue { $0[ObjectIdentifier(c)] = (c, loop) } }
    func remove(_ c: SECCConnection) { open.withLockedValue { $0[ObjectIdentifier(c)] = nil } }
}

/// One connection: frames in, the state machine, frames out. Everything the protocol decides is
/// the engine's; this handler carries out its actions and measures.
final class SECCConnection: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = V2GTPFrame
    typealias OutboundOut = V2GTPFrame

    private var session: SECCSession
    private let controller: EVSEController
    private let paused: PausedSessions
    private let connections: SECCConnections
    /// Set while the handler is in a pipeline (read and written on its event loop only).
    private var context: ChannelHandlerContext?
    private var logger: Logger
    private let onSessionEnd: @Sendable (SessionResult) -> Void
    private let timers: SessionTimers
    private var record = SessionRecord(role: .secc)
    private let plugAndCharge: SECCPlugAndCharge?
    private let priceScheduleSigner: PriceScheduleSigner?
    private let valueAddedServices: (any ValueAddedServiceProvider)?
    /// Whether the provider was given services for this session (and must withdraw them).
    private var providedValueAddedServices = false

    init(configuration: SECCServer.Configuration, controller: EVSEController, paused: PausedSessions, connections: SECCConnections,
         logger: Logger, onSessionEnd: @escaping @Sendable (SessionResult) -> Void) {
        var sessionConfiguration = configuration.session
        // The runtime that can provide contracts announces CertificateInstallation.
        if configuration.plugAndCharge?.installation != nil { sessionConfiguration.certificateInstallationService = true }
        if configuration.priceScheduleSigner != nil { sessionConfiguration.signsPriceSchedules = true }
        priceScheduleSigner = configuration.priceScheduleSigner
        timers = SessionTimers(cap: configuration.timerCap)
        session = SECCSession(configuration: sessionConfiguration, resumable: paused.all, tls: configuration.security.isConformant)
        plugAndCharge = configuration.plugAndCharge
        valueAddedServices = configuration.valueAddedServices
        self.controller = controller
        self.paused = paused
        self.connections = connections
        self.logger = logger
        self.onSessionEnd = onSessionEnd
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        connections.add(self, on: context.eventLoop)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        connections.remove(self)
    }

    /// The charger shuts down: the engine's `shutdown`. On the connection's event loop.
    func shutdown() {
        guard let context else { return }
        logger.info("shutdown: power off, the EV told to stop")
        perform(session.shutdown(evse: controller.inputs(timestamp: unixTime())), context: context)
    }

    /// Closes the connection (a shutdown's time is up). On the connection's event loop.
    func close() { context?.close(promise: nil) }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let negotiated = event as? TLSNegotiated { logger.info("TLS: \(negotiated)") }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let received = ContinuousClock.now
        let frame = unwrapInboundIn(data)
        let kind = record.received(frame, request: true, logger: logger)
        perform(session.receive(frame: frame, evse: controller.inputs(timestamp: unixTime())), context: context)
        if kind?.isChargeLoop == true { record.turnarounds.append(ContinuousClock.now - received) }
    }

    func channelActive(context: ChannelHandlerContext) {
        perform(session.connectionOpened(), context: context)
        context.fireChannelActive()
        // Accepted as the charger began to shut down (after the snapshot of open connections).
        if connections.shuttingDown { shutdown() }
    }

    func channelInactive(context: ChannelHandlerContext) {
        // A peer that vanishes leaves the charger in a safe state: the state machine ends the
        // session and the controller opens the contactors.
        perform(session.connectionLost(), context: context)
        context.fireChannelInactive()
    }

    /// A broken V2GTP stream ends the session as a malformed request; a stream that ends inside
    /// a frame (the EV closed mid-write), a reset or a TLS alert as a lost connection, with the
    /// error as its cause.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.error("connection error: \(error)")
        if let framing = error as? V2GTPError, !framing.isTruncation {
            perform(session.framingFailed("\(framing)"), context: context)
        } else {
            perform(session.connectionLost("failed: \(error)"), context: context)
        }
        context.close(promise: nil)
    }

    private func perform(_ actions: [SECCAction], context: ChannelHandlerContext) {
        for action in actions {
            switch action {
            case .send(let response):
                record.send(response, on: context, logger: logger)
            case .sendOnSideStream(let response, let stream):
                record.send(response, on: context, stream: .side(stream), logger: logger)
            case .startTimer(let timer, let duration):
                timers.start(timer, duration, handler: self, context: context) { handler, context in
                    if timer != .contactor { handler.logger.warning("timer \(timer.rawValue) expired") }
                    handler.perform(handler.session.timerExpired(timer, evse: handler.controller.inputs(timestamp: unixTime())), context: context)
                }
            case .protocolSelected(let p):
                logger.info("protocol \(p.namespace) \(p.major).\(p.minor)")
            case .resumed(let p):
                paused.remove(p)
                logger.info("resumed paused session \(p.sessionID)")
            case .evse(let command):
                controller.perform(command)
            case .checkContract(let request):
                checkContract(request, context: context)
            case .provideCertificate(let request):
                provideCertificate(request, context: context)
            case .checkMetering(let request):
                // One verification (about a millisecond), in order with the session's actions.
                let verdict = Self.verifyMetering(request)
                perform(session.meteringChecked(valid: verdict.valid, detail: verdict.detail, evse: controller.inputs(timestamp: unixTime())),
                        context: context)
            case .signPriceSchedules(let schedules):
                // One signature (about a millisecond), in order with the session's actions.
                var signature: SignatureType?
                do {
                    signature = try priceScheduleSigner?.sign(schedules)
                } catch {
                    logger.warning("price schedules left unsigned: \(error)")
                }
                perform(session.priceSchedulesSigned(signature, evse: controller.inputs(timestamp: unixTime())), context: context)
            case .meteringConfirmed(let data, let signature):
                logger.info("MeteringConfirmation: meter \(data.meterInfo.meterID) at \(data.meterInfo.chargedEnergyReadingWh) Wh confirmed with the contract key")
                controller.meteringConfirmed(data, signature: signature)
            case .valueAddedServicesSelected(let services):
                logger.info("value-added services selected: \(services.isEmpty ? "none" : services.map(\.description).joined(separator: ", "))")
                if let sessionID = session.sessionID, let valueAddedServices {
                    valueAddedServices.provide(services, sessionID: sessionID, peer: context.channel.remoteAddress)
                    providedValueAddedServices = true
                }
            case .endSession(let end):
                timers.cancelAll()
                controller.sessionEnded(end)
                if providedValueAddedServices, let sessionID = session.sessionID { valueAddedServices?.withdraw(sessionID: sessionID) }
                guard let result = record.report(end, paused: session.pausedSession) else { continue }
                if let p = session.pausedSession { paused.add(p) }
                logger.info("session ended: \(end)")
                onSessionEnd(result)
                context.close(promise: nil)
            }
        }
    }

    /// Runs the Plug & Charge checks off the event loop and hands the result back to the engine on
    /// it; the EVCC's next repetition of AuthorizationReq gets the answer.
    private func checkContract(_ request: ContractCheckRequest, context: ChannelHandlerContext) {
        let loop = context.eventLoop
        let logger = logger
        guard let plugAndCharge else {
            logger.warning("Plug & Charge requested but this SECC has no contract checks configured")
            perform(session.contractChecked(ContractAuthorizationResult(.warning_GeneralPnCAuthorizationError, "no Plug & Charge configured")),
                    context: context)
            return
        }
        let handler = NIOLoopBound((self, context), eventLoop: loop)
        Task {
            let started = ContinuousClock.now
            let result = await plugAndCharge.decide(request)
            logger.info("Plug & Charge: \(result.responseCode.rawValue) after \(ContinuousClock.now - started): \(result.detail)")
            loop.execute {
                let (connection, context) = handler.value
                connection.perform(connection.session.contractChecked(result), context: context)
            }
        }
    }

    /// Prepares CertificateInstallationRes off the event loop (the provisioning chain checked, the
    /// backend asked) and hands it to the engine, which sends it.
    private func provideCertificate(_ request: CertificateInstallationReqType, context: ChannelHandlerContext) {
        let loop = context.eventLoop
        let logger = logger
        let handler = NIOLoopBound((self, context), eventLoop: loop)
        let installation = plugAndCharge?.installation
        Task {
            let started = ContinuousClock.now
            let outcome = await installation?.provide(request) ?? .refused(.warning_NoCertificateAvailable, "no certificate provider configured")
            switch outcome {
            case .provided:
                logger.info("CertificateInstallation: a contract provided after \(ContinuousClock.now - started): provisioning signature and chain ✓")
            case .refused(let code, let detail):
                logger.warning("CertificateInstallation: \(code.rawValue) after \(ContinuousClock.now - started): \(detail)")
            }
            loop.execute {
                let (connection, context) = handler.value
                connection.perform(connection.session.certificateProvided(outcome, evse: connection.controller.inputs(timestamp: unixTime())), context: context)
            }
        }
    }

    /// The EV's signature over SignedMeteringData with the key of the contract certificate the
    /// SECC authorized.
    static func verifyMetering(_ request: MeteringCheckRequest) -> (valid: Bool, detail: String) {
        guard let signature = request.signature, let element = SignedElement(.signedMeteringData(request.signedMeteringData)) else {
            return (false, "no Signature")
        }
        do {
            let key = try XMLSignatureVerifyingKey(certificateDER: request.contractCertificate)
            let algorithm = try XMLSignature.verify(signature, covering: [element], with: key).get()
            return (true, "\(algorithm)")
        } catch {
            return (false, "\(error)")
        }
    }
}
