import ISO20Common

/// How the EVCC sends: headers, V2G_EVCC_Msg_Timeout per request, pacing, phase limits, the end.
extension EVCCSession {
    func header(_ ev: EVInputs) -> MessageHeaderType { MessageHeaderType(sessionID: sessionID, timeStamp: ev.timestamp) }

    /// Sends `request` and starts V2G_EVCC_Msg_Timeout for it. A charge loop request, and a request
    /// repeated because the SECC answered Ongoing, wait the policy's interval first (the
    /// `pacing` timer), as a real EV paces them.
    mutating func send(_ request: V2GRequest, _ ev: EVInputs) -> [EVCCAction] {
        guard let kind = request.kind else { return end(.unexpectedResponse, "\(request.name) is not a request") }
        // A vehicle whose charging is complete before power flows (its driver ended it, its
        // process shuts down) goes no further towards power: SessionStop(Terminate) in place of
        // the next setup request or PowerDelivery(Start). In the loop, the loop's own rules stop.
        if ev.chargingComplete, Self.leadsTowardsPower(request) {
            stopIntent = .terminate
            return sessionStop(ev)
        }
        if let (phase, _) = phaseLimit(kind), phaseStart[phase] == nil { phaseStart[phase] = ev.elapsed }
        let repeated = state == .awaiting(kind)
        state = .awaiting(kind)
        let pause: Duration? = kind.isChargeLoop ? configuration.policy.chargeLoopInterval : repeated ? configuration.policy.ongoingInterval : nil
        if let pause {
            paced = kind.isChargeLoop ? .chargeLoop : .request(request)
            return [.startTimer(.pacing, pause)]
        }
        return transmit(request, kind)
    }

    /// The next charge loop request, after the policy's interval: it is built when the pacing
    /// timer fires, from what the EV reports then, so its present values already follow what the
    /// last answer allowed.
    mutating func nextChargeLoop(_ ev: EVInputs) -> [EVCCAction] {
        guard let module = energyTransfer else { return end(.failed(.failed_NoEnergyTransferServiceSelected), "no service selected") }
        state = .awaiting(type(of: module).chargeLoopRequest)
        paced = .chargeLoop
        return [.startTimer(.pacing, configuration.policy.chargeLoopInterval)]
    }

    /// The request goes out now, with its V2G_EVCC_Msg_Timeout, and the pilot switched to C
    /// before or after it where the energy service says so (`EVCCControlPilot`).
    mutating func transmit(_ request: V2GRequest, _ kind: MessageKind) -> [EVCCAction] {
        let actions: [EVCCAction] = [.send(request), .startTimer(.response, Self.responseTimeout(kind))]
        switch energyTransfer?.switchesToStateC(request) {
        case .beforeSending?: return switchControlPilot(.c) + actions
        case .afterSending?: return actions + switchControlPilot(.c)
        case nil: return actions
        }
    }

    /// V2G_EVCC_Msg_Timeout for a request (`V2GTiming.evccMessageTimeout(for:)`).
    static func responseTimeout(_ kind: MessageKind) -> Duration { V2GTiming.evccMessageTimeout(for: kind) }

    /// The overall limits of phases that repeat or take time (PROTOCOL-NOTES §8):
    /// V2G_EVCC_CommunicationSetup_Timeout until SessionSetupRes, V2G_EVCC_Ongoing_Timeout for
    /// authorization and schedule exchange, and the energy service's own (DC: cable check, pre-charge).
    /// The requests of the session's way to power: authorization, service selection, parameter
    /// discovery, schedule exchange, cable check, pre-charge, PowerDelivery(Start). Not
    /// supportedAppProtocol and SessionSetup (no session to stop yet), the loop, PowerDelivery
    /// with anything but Start, welding detection, metering confirmation, SessionStop.
    static func leadsTowardsPower(_ request: V2GRequest) -> Bool {
        guard let kind = request.kind, !kind.isChargeLoop else { return false }
        switch kind {
        case .supportedAppProtocol, .common(.sessionSetupReq), .common(.sessionStopReq), .common(.meteringConfirmationReq),
             .dc(.dc_WeldingDetectionReq):
            return false
        case .common(.powerDeliveryReq):
            if case .common(.powerDeliveryReq(let m)) = request { return m.chargeProgress == .start }
            return false
        default:
            return true
        }
    }

    func phaseLimit(_ kind: MessageKind) -> (phase: MessageKind, limit: Duration)? {
        switch kind {
        case .supportedAppProtocol, .common(.sessionSetupReq): return (.supportedAppProtocol, V2GTiming.evccCommunicationSetupTimeout)
        case .common(.authorizationReq), .common(.scheduleExchangeReq): return (kind, V2GTiming.evccOngoingTimeout)
        default: return energyTransfer?.phaseLimit(kind).map { (kind, $0) }
        }
    }

    mutating func phaseTimeout(_ ev: EVInputs) -> [EVCCAction]? {
        guard case .awaiting(let kind) = state, let (phase, limit) = phaseLimit(kind), let start = phaseStart[phase],
              ev.elapsed - start > limit else { return nil }
        return end(.phaseTimeout, "\(phase) did not finish within \(limit)")
    }

    mutating func unexpected(_ response: V2GResponse) -> [EVCCAction] {
        end(.unexpectedResponse, "unexpected \(response.name) in state \(state)")
    }

    /// Ends the session; an EV still in CP state C goes back to B first.
    mutating func end(_ reason: SessionEnd.Reason, _ detail: String) -> [EVCCAction] {
        let pilot = switchControlPilot(.b)
        state = .ended
        paced = nil
        // A runtime answer that comes later (a signature, an installed contract) finds nothing to do.
        installation = .none
        contractAuthorization = .none
        meteringToSign = nil
        return pilot + [.endSession(SessionEnd(reason: reason, detail: detail))]
    }
}
