import EXI
import AppProtocol
import ISO20Common
import V2GTP

/// The SECC side of an ISO 15118-20 session, sans I/O: frames (or requests) and timer expiries
/// in, actions out. No sockets, no clocks, no threads; SessionIDs come from an injected generator.
/// The common phases are in the `SECC…` files beside this one, one per phase; the selected
/// energy service's phases are its module's (`SECCEnergyTransfer`, e.g. `DC/`).
public struct SECCSession: Sendable {
    public let configuration: SECCConfiguration
    public internal(set) var state: SECCState = .waitingForSupportedAppProtocol
    public internal(set) var sessionID: ShortBinary?
    public internal(set) var selectedService: SelectedServiceType?
    /// The protocol supportedAppProtocol agreed on: its message set decides the services offered.
    public internal(set) var agreedProtocol: V2GProtocol?
    /// The EVCCID of SessionSetupReq.
    public internal(set) var evccID: String?
    /// Set when SessionStop(Pause) ended the session: what a resume needs.
    public internal(set) var pausedSession: PausedSession?
    /// Sessions paused on this charger that a SessionSetupReq may join.
    let resumable: [PausedSession]
    /// The value-added services the EV selected with its energy service.
    public internal(set) var selectedVAS: [SelectedValueAddedService] = []
    /// The value-added services this session's ServiceDiscoveryRes listed.
    var offeredVAS: [UInt16] = []
    /// The selected service's module, with its own state (DC: the limits it announced).
    public internal(set) var energyTransfer: (any SECCEnergyTransfer)?
    /// When the EV must have begun stopping after a Terminate, Pause or ServiceRenegotiation
    /// notification (header time, seconds): the notification's time plus NotificationMaxDelay.
    var notificationDeadline: UInt64?
    /// The EV is in standby (`SECCStandby`): the charge loop runs on at zero power.
    public internal(set) var standby = false
    /// The notification whose NotificationMaxDelay runs (what answers it: `SECCNotifications`).
    var notified: EvseNotificationType?
    /// The last PowerDelivery(Stop) had EVProcessing = Ongoing: the EV will repeat it.
    var powerDeliveryStopOngoing = false
    /// PowerDeliveryReq(Start) was accepted and not yet followed by Stop: only then may the
    /// contactor close ([V2G20-1317]; `SECCContactor`).
    var powerStarted = false
    /// The charger is shutting down (`SECCShutdown`): power stays off.
    public internal(set) var shuttingDown = false
    /// Shutting down with power on: NotificationMaxDelay of the Terminate every loop response carries.
    var shutdownMaxDelay: UInt16?
    /// A notification the charger raised while a side-stream request was answered (side-stream
    /// responses carry no EVSEStatus): it goes out with the next charge loop response.
    var latchedNotification: (kind: EvseNotificationType, maxDelay: UInt16)?
    /// Whether the engine has told the hardware to close the contactor (`SECCContactor`).
    public internal(set) var contactorClosed = false
    /// PowerDeliveryReq(Start) is held for CP state C: the contactor polls so far (`SECCContactor`).
    var pendingStart: Int?
    let makeSessionID: @Sendable () -> ShortBinary
    /// Whether the connection runs TLS: Plug & Charge is offered only then.
    let tls: Bool
    let makeGenChallenge: @Sendable () -> ShortBinary
    /// The GenChallenge of the last AuthorizationSetupRes that offered PnC.
    public internal(set) var genChallenge: ShortBinary?
    /// Where a Plug & Charge authorization stands (`SECCAuthorization`).
    var contractAuthorization: ContractAuthorizationProgress = .none
    /// A CertificateInstallationReq whose response the runtime is preparing.
    var pendingInstallation: CertificateInstallationReqType?
    /// The contract certificate (DER) whose PnC authorization the SECC accepted: what signs metering.
    public internal(set) var authorizedContract: [UInt8]?
    /// The MeterInfo of the last ChargeLoopRes that asked for MeteringConfirmation.
    /// The last few of them (the loop goes on while the EV signs on its side stream, and the
    /// charger may ask again meanwhile); a confirmation takes its reading off.
    var meteringRequested: [MeterInfoType] = []
    /// The last response asked for MeteringConfirmation: only then may it come on the main
    /// stream (the EV answers at once there; on its side stream, while the loop goes on).
    var meteringJustAsked = false
    /// A MeteringConfirmationReq whose signature the runtime is checking.
    var pendingMetering: (request: MeteringConfirmationReqType, stream: V2GStream)?
    /// A ScheduleExchangeRes held for the runtime to sign its price schedules.
    var pendingScheduleExchange: (response: ScheduleExchangeResType, stream: V2GStream)?
    /// Where a schedule renegotiation on its side stream (0x8101) stands (`SECCSideStreams`).
    var sideRenegotiation: SideRenegotiation?
    /// Whether a response waits for the runtime (a contract, a verdict, a signature): the EV
    /// awaits it, so any request now is out of sequence.
    /// A side stream's pending answer does not hold the main stream up.
    var awaitingRuntime: Bool {
        pendingStart != nil || pendingInstallation != nil || pendingMetering?.stream == .main || pendingScheduleExchange?.stream == .main
    }

    /// `makeSessionID` must return 8 random bytes, not all zero, from a CSPRNG ([V2G20-2621], [V2G20-2106]);
    /// `makeGenChallenge` 16 from a CSPRNG ([V2G20-697]). `resumable`: the sessions paused on this
    /// charger (the runtime keeps them between connections). `tls`: whether the connection is TLS;
    /// without it Plug & Charge is not offered even when configured.
    public init(configuration: SECCConfiguration, resumable: [PausedSession] = [], tls: Bool = false,
                makeSessionID: @escaping @Sendable () -> ShortBinary = SessionIDGenerator.random,
                makeGenChallenge: @escaping @Sendable () -> ShortBinary = GenChallengeGenerator.random) {
        self.configuration = configuration
        self.resumable = resumable
        self.tls = tls
        self.makeSessionID = makeSessionID
        self.makeGenChallenge = makeGenChallenge
    }

    // MARK: inputs

    /// A V2GTP frame from the EVCC. One that does not decode ends the session as
    /// `malformedRequest`; when its root names a -20 request, that request is answered FAILED.
    public mutating func receive(frame: V2GTPFrame, evse: EVSEInputs) -> [SECCAction] {
        guard state != .ended else { return [] }
        if let side = SideStream(payloadType: frame.payloadType) { return receive(frame: frame, on: side, evse: evse) }
        do {
            return receive(try V2GRequest(frame: frame), evse: evse)
        } catch {
            if case .exi(_, let meant?) = error, meant.isRequest, let response = meant.failedResponse(code: .failed, header: header(evse)) {
                return [.send(response)] + end(.malformedRequest, "\(error)")
            }
            return end(.malformedRequest, "\(error)")
        }
    }

    /// A decoded request from the EVCC.
    public mutating func receive(_ request: V2GRequest, evse: EVSEInputs) -> [SECCAction] {
        guard state != .ended else { return [] }
        guard let kind = request.kind, kind.isRequest else {
            return end(.malformedRequest, "\(request.name) is not a request the SECC answers")
        }
        if case .supportedAppProtocol(let sap) = request {
            guard state == .waitingForSupportedAppProtocol else { return sequenceError(kind, evse) }
            return negotiate(sap)
        }
        // Nothing may come while a Start waits for the contactor or a contract is being provided:
        // the EV awaits its answer.
        let metering = kind == .common(.meteringConfirmationReq) && meteringJustAsked
        // The ask holds for the one request after it (`SECCMetering`).
        if kind != .common(.meteringConfirmationReq) { meteringJustAsked = false }
        guard state.accepts(kind) || metering, !awaitingRuntime else {
            if let refusal = standbyBeforePowerCanStart(request, evse) { return refusal }
            return sequenceError(kind, evse)
        }
        // Every request after SessionSetup must carry the session's ID ([V2G20-460]).
        if kind != .common(.sessionSetupReq), let header = request.header, header.sessionID != sessionID {
            return failed(kind, .failed_UnknownSession, evse, "SessionID \(header.sessionID) is not this session's")
        }
        switch request {
        case .common(.sessionSetupReq(let m)): return sessionSetup(m, evse)
        case .common(.authorizationSetupReq): return authorizationSetup(evse)
        case .common(.authorizationReq(let m)): return authorization(m, evse)
        case .common(.certificateInstallationReq(let m)): return certificateInstallation(m, evse)
        case .common(.meteringConfirmationReq(let m)): return meteringConfirmation(m, evse)
        case .common(.serviceDiscoveryReq(let m)): return serviceDiscovery(m, evse)
        case .common(.serviceDetailReq(let m)): return serviceDetail(m, evse)
        case .common(.serviceSelectionReq(let m)): return serviceSelection(m, evse)
        case .common(.scheduleExchangeReq(let m)): return scheduleExchange(m, evse)
        case .common(.powerDeliveryReq(let m)): return powerDelivery(m, evse)
        case .common(.sessionStopReq(let m)): return sessionStop(m, evse)
        default: return energyTransferRequest(request, kind, evse)
        }
    }

    /// A connection was accepted: the first request (supportedAppProtocolReq, after the TLS
    /// handshake) must come within V2G_SECC_Sequence_Timeout too, so a peer that connects and
    /// stays silent (or never finishes the handshake) does not hold the connection for ever.
    public func connectionOpened() -> [SECCAction] {
        state == .waitingForSupportedAppProtocol ? [.startTimer(.sequence, V2GTiming.seccSequenceTimeout)] : []
    }

    /// A timer the engine started expired. V2G_SECC_Sequence_Timeout stops the session
    /// ([V2G20-443]); the contactor timer reads the pilot again (`SECCContactor`).
    public mutating func timerExpired(_ timer: SessionTimer, evse: EVSEInputs) -> [SECCAction] {
        guard state != .ended else { return [] }
        switch timer {
        case .sequence:
            return end(.sequenceTimeout, "no request within V2G_SECC_Sequence_Timeout in state \(state)")
        case .contactor: return contactorPoll(evse)
        default: return []
        }
    }

    /// The peer closed the connection or vanished.
    public mutating func connectionLost(_ cause: String? = nil) -> [SECCAction] {
        guard state != .ended else { return [] }
        return end(.connectionLost, "connection \(cause ?? "closed") in state \(state)")
    }

    /// The stream's V2GTP framing broke (a wrong version, an unknown payload type, a length
    /// beyond the maximum): V2GTP has no way to find the next frame, so no request can be read
    /// or answered, and the session ends with the connection.
    public mutating func framingFailed(_ detail: String) -> [SECCAction] {
        guard state != .ended else { return [] }
        return end(.malformedRequest, "\(detail) in state \(state)")
    }

    // MARK: the selected energy service

    /// A request of the selected service goes to its module, in the phase the session is in.
    private mutating func energyTransferRequest(_ request: V2GRequest, _ kind: MessageKind, _ evse: EVSEInputs) -> [SECCAction] {
        guard case .energyTransfer(let phase) = state, energyTransfer != nil, let selectedService else {
            return failed(kind, .failed, evse, "\(kind) is not handled by this SECC")
        }
        var evse = evse
        if kind.isChargeLoop, evse.notification == nil, let latched = latchedNotification {
            (evse.notification, evse.notificationMaxDelay) = (latched.kind, latched.maxDelay)
        }
        if kind.isChargeLoop { latchedNotification = nil }
        if kind.isChargeLoop, let maxDelay = shutdownMaxDelay { (evse.notification, evse.notificationMaxDelay) = (.terminate, maxDelay) }
        if phase.power == .on, let stopped = enforceNotificationMaxDelay(kind, evse) { return stopped }
        // The pilot is read with every request while power is on: the EV may have left state C.
        let pilot = phase.power == .on ? followControlPilot(evse) : []
        // MeteringConfirmation only from an EV authorized with its contract: nothing else can sign.
        if evse.notification == .meteringConfirmation && authorizedContract == nil { evse.notification = nil }
        if evse.notification == .exitStandby && !standby { evse.notification = nil }
        // Shutting down, the loop goes on at zero power as in standby.
        let exchange = SECCExchange(header: header(evse), evse: evse, selected: selectedService, configuration: configuration,
                                    standby: standby || shuttingDown)
        // Handled in place: the module's state is mutated where it is stored, not copied out and back.
        guard let outcome = energyTransfer?.handle(request, in: phase, exchange) else {
            return failed(kind, .failed, evse, "\(kind) is not handled by this SECC")
        }
        switch outcome {
        case .respond(let response, let commands):
            if let next = energyTransfer?.state(after: response) { state = next }
            rememberMeteringRequest(response)
            // One array for the loop's actions, built in place: this runs every 50 ms.
            var actions: [SECCAction] = []
            actions.reserveCapacity(pilot.count + commands.count + 2)
            actions.append(contentsOf: pilot)
            for command in commands { actions.append(.evse(command)) }
            actions.append(.send(response))
            actions.append(sequenceTimer(after: response))
            return actions
        case .fail(let code, let detail):
            return failed(kind, code, evse, detail)
        }
    }
}
