import EXI
import AppProtocol
import ISO20Common
import V2GTP

/// The EVCC side of an ISO 15118-20 session, sans I/O: frames (or responses) and timer expiries
/// in, requests and actions out. It drives the standard sequence to its end: SessionStop. The
/// common phases are in the `EVCC…` files beside this one; the selected energy service's
/// requests are its module's (`EVCCEnergyTransfer`, e.g. `DC/`). Every timer, the pacing of the
/// charge loop included, is an action: the runtime only carries it out.
public struct EVCCSession: Sendable {
    public let configuration: EVCCConfiguration
    public internal(set) var state: EVCCState = .idle
    public internal(set) var sessionID: ShortBinary = SessionIDGenerator.zero
    public internal(set) var agreedProtocol: V2GProtocol?
    public internal(set) var service: SelectedServiceType?
    /// The selected service's module.
    public internal(set) var energyTransfer: (any EVCCEnergyTransfer)?
    var sapRequest: SupportedAppProtocolReq?
    /// The schedule tuple the EV follows (Scheduled): the first one ScheduleExchangeRes offered,
    /// and whether its charging schedule came with a PowerTolerance for the EV to accept.
    var scheduleTupleID: UInt32?
    var scheduleHasPowerTolerance = false
    /// How the session ends once power is off: Terminate, Pause (keeping the session to resume), or
    /// ServiceRenegotiation (going on from ServiceDiscovery) when the SECC asks for it.
    var stopIntent: ChargingSessionType = .terminate
    /// A new schedule is being agreed with power on (PowerDelivery(ScheduleRenegotiation)).
    var renegotiatingSchedule = false
    /// Where standby stands (`EVCCStandby`).
    public internal(set) var standby: EVCCStandby = .none
    /// Standby answers the charger's Pause: the EV waits for ExitStandby.
    var standbyUntilExit = false
    /// What the last PowerDeliveryReq asked for.
    var powerDeliveryProgress: ChargeProgressType = .start
    /// Set when the SECC answered SessionStop(Pause): what `EVCCConfiguration.resume` takes.
    public internal(set) var pausedSession: PausedSession?
    /// When each repeatable phase began, for its overall timeout.
    var phaseStart: [MessageKind: Duration] = [:]
    /// A request held back by pacing until `SessionTimer.pacing` expires.
    var paced: PacedRequest?
    /// Value-added services offered that the EV wants, whose ServiceDetail it has yet to ask for.
    var valueAddedDetailsWanted: [UInt16] = []
    /// The value-added services (and parameter sets) the EV selects with its energy service.
    public internal(set) var selectedVAS: [SelectedValueAddedService] = []
    /// What the controller was last told of them.
    var reportedVAS: [SelectedValueAddedService] = []
    /// Why the EV stops at service selection: nothing the charger offers is usable.
    var unusable: String?
    /// The control pilot state the EV has set: B until power is wanted, C from just before
    /// PowerDeliveryReq(Start) until PowerDeliveryRes(Stop) (`EVCCControlPilot`).
    public internal(set) var controlPilot: ControlPilotState = .b
    /// Whether the connection runs TLS: the EV uses Plug & Charge only then.
    let tls: Bool
    /// Where Plug & Charge stands (`EVCCAuthorization`).
    var contractAuthorization: EVCCContractAuthorization = .none
    /// Why the EV stops after authorization: the SECC refused and nothing else was left.
    var refusedAuthorization: ISO20Common.ResponseCodeType?
    /// The SECC's AuthorizationSetupRes: what authorization goes on from after an installation.
    var authorizationOffer: AuthorizationSetupResType?
    /// A contract installed in this session; it is used instead of the configured one.
    public internal(set) var installedContract: EVCCContract?
    /// Where CertificateInstallation stands (`EVCCCertificateInstallation`).
    var installation: EVCCInstallation = .none
    var installationsDone = 0
    /// Whether the SECC authorized this session's contract (PnC): only then can the EV sign
    /// metering data.
    var authorizedWithContract = false
    /// The request each side stream awaits the answer to (`EVCCSideStreams`).
    public internal(set) var sideStreamAwaiting: [SideStream: MessageKind] = [:]
    /// Where a schedule renegotiation on its side stream stands, and a request it repeats
    /// (Ongoing) with the next charge loop answer.
    var sideRenegotiation: EVCCSideRenegotiation?
    var sideRepeat: V2GRequest?
    /// MeteringConfirmation goes on its side stream (signature pending or request sent).
    var meteringOnSideStream = false
    /// Parking (VehicleCheckIn/Out on 0x8104): what the EV has still to report.
    var parkingSteps: [V2GRequest]?
    /// SignedMeteringData waiting for its signature (`EVCCMetering`).
    var meteringToSign: SignedMeteringDataType?

    public init(configuration: EVCCConfiguration, tls: Bool = false) {
        self.configuration = configuration
        self.tls = tls
        // A resume presents the paused SessionID in SessionSetupReq.
        if let resume = configuration.resume { sessionID = resume.sessionID }
    }

    // MARK: inputs

    /// The TCP connection is up: V2G_EVCC_CommunicationSetup_Timeout runs from now, so an SECC
    /// that accepts and then stalls (mid-handshake, say) cannot hold the EV.
    public func connectionOpened() -> [EVCCAction] {
        [.startTimer(.communicationSetup, V2GTiming.evccCommunicationSetupTimeout)]
    }

    /// Opens the session (after the TLS handshake): supportedAppProtocolReq.
    public mutating func start(ev: EVInputs) -> [EVCCAction] {
        guard state == .idle else { return [] }
        let request = AppProtocolNegotiation.request(offering: configuration.protocols)
        sapRequest = request
        return send(.supportedAppProtocol(request), ev)
    }

    /// A V2GTP frame from the SECC; one that does not decode ends the session.
    public mutating func receive(frame: V2GTPFrame, ev: EVInputs) -> [EVCCAction] {
        if let side = SideStream(payloadType: frame.payloadType) { return receive(frame: frame, on: side, ev: ev) }
        guard case .awaiting = state else { return [] }
        do {
            return receive(try V2GResponse(frame: frame), ev: ev)
        } catch {
            return end(.unexpectedResponse, "malformed response: \(error)")
        }
    }

    /// A decoded response from the SECC.
    public mutating func receive(_ response: V2GResponse, ev: EVInputs) -> [EVCCAction] {
        guard case .awaiting(let request) = state else { return [] }
        let cancel: [EVCCAction] = [.cancelTimer(.response)]
        // A request held back by pacing has not been sent: nothing can answer it yet.
        guard paced == nil else { return cancel + [.cancelTimer(.pacing)] + unexpected(response) }
        if let timeout = phaseTimeout(ev) { return cancel + timeout }
        if case .supportedAppProtocol(let res) = response {
            return cancel + (request == .supportedAppProtocol ? appProtocolAgreed(res, ev) : unexpected(response))
        }
        // Any FAILED code ends the session, whatever the response; so does another session's ID.
        guard let code = response.responseCode, let responseHeader = response.header else { return cancel + unexpected(response) }
        if code.rawValue.hasPrefix("FAILED") { return cancel + end(.failed(code), "\(request): \(code.rawValue)") }
        if request != .common(.sessionSetupReq) && responseHeader.sessionID != sessionID {
            return cancel + end(.failed(.failed_UnknownSession), "response carries another SessionID")
        }
        guard let kind = response.kind, request.isAnswered(by: kind) else { return cancel + unexpected(response) }
        return cancel + answered(response, ev)
    }

    private mutating func answered(_ response: V2GResponse, _ ev: EVInputs) -> [EVCCAction] {
        switch response {
        case .common(.sessionSetupRes(let m)): return sessionSetupAnswered(m, ev)
        case .common(.authorizationSetupRes(let m)): return authorizationSetupAnswered(m, ev)
        case .common(.authorizationRes(let m)): return authorizationAnswered(m, ev)
        case .common(.certificateInstallationRes(let m)): return certificateInstallationAnswered(m, ev)
        case .common(.meteringConfirmationRes): return meteringConfirmationAnswered(ev)
        case .common(.serviceDiscoveryRes(let m)): return serviceDiscoveryAnswered(m, ev)
        case .common(.serviceDetailRes(let m)): return serviceDetailAnswered(m, ev)
        case .common(.serviceSelectionRes): return serviceSelectionAnswered(ev)
        case .common(.scheduleExchangeRes(let m)): return scheduleExchangeAnswered(m, ev)
        case .common(.powerDeliveryRes(let m)): return powerDeliveryAnswered(m, ev)
        case .common(.sessionStopRes): return sessionStopAnswered(ev)
        default:
            let header = header(ev)
            guard let step = energyTransfer?.handle(response, ev, header) else { return unexpected(response) }
            return perform(step, ev)
        }
    }

    /// A timer the engine started expired.
    public mutating func timerExpired(_ timer: SessionTimer, ev: EVInputs) -> [EVCCAction] {
        guard state != .ended else { return [] }
        switch timer {
        case .response:
            guard case .awaiting(let request) = state else { return [] }
            return end(.responseTimeout, "no response to \(request) within V2G_EVCC_Msg_Timeout")
        case .communicationSetup:
            // Setup is over once SessionSetupRes arrived (the timer is cancelled then).
            guard [.idle, .awaiting(.supportedAppProtocol), .awaiting(.common(.sessionSetupReq))].contains(state) else { return [] }
            return end(.phaseTimeout, "communication setup did not finish within \(V2GTiming.evccCommunicationSetupTimeout)")
        case .pacing:
            guard let held = paced, case .awaiting(let kind) = state else { return [] }
            paced = nil
            switch held {
            case .request(let request): return transmit(request, kind)
            case .chargeLoop:
                guard let module = energyTransfer else { return [] }
                // In standby the loop is a keep-alive at zero power ([V2G20-2113], [V2G20-2116]).
                return transmit(module.chargeLoop(standby == .active ? ev.atZeroPower : ev, header(ev)), kind)
            }
        case .scheduleRenegotiationResponse, .meteringConfirmationResponse, .parkingStatusResponse, .acdpSystemStatusResponse:
            return sideStreamTimeout(timer)
        case .sequence, .contactor:
            return []
        }
    }

    public mutating func connectionLost(_ cause: String? = nil) -> [EVCCAction] {
        guard state != .ended else { return [] }
        return end(.connectionLost, "connection \(cause ?? "closed") in state \(state)")
    }

    /// The vehicle's process shuts down and the time it gave the session to end in order is up:
    /// the session ends here, and the runtime closes the connection.
    public mutating func shutdown() -> [EVCCAction] {
        guard state != .ended else { return [] }
        return end(.shutdown, "the vehicle shut down in state \(state)")
    }

    /// The stream's V2GTP framing broke (a wrong version, an unknown payload type, a length
    /// beyond the maximum): no response can be read any more, and the session ends.
    public mutating func framingFailed(_ detail: String) -> [EVCCAction] {
        guard state != .ended else { return [] }
        return end(.unexpectedResponse, "\(detail) in state \(state)")
    }

    /// What pacing holds back: a request to repeat, or the next charge loop request (built when sent).
    enum PacedRequest: Sendable, Hashable {
        case request(V2GRequest)
        case chargeLoop
    }

    // MARK: steps of the energy service

    mutating func perform(_ step: EVCCStep, _ ev: EVInputs) -> [EVCCAction] {
        switch step {
        case .send(let request): return send(request, ev)
        case .scheduleExchange: return scheduleExchange(ev)
        case .powerDeliveryStart:
            // An EV that wants no energy yet goes to standby where it could start ([V2G20-1380], [V2G20-1390]).
            if ev.standbyRequested && standby == .none { return requestStandby(ev) }
            return send(.common(.powerDeliveryReq(powerDeliveryStart(ev))), ev)
        case .chargeLoopAnswered(let status, let meterInfo, let commands):
            return commands.map(EVCCAction.ev) + chargeLoopAnswered(status, meterInfo: meterInfo, ev)
        case .sessionStop: return sessionStop(ev)
        }
    }
}
