import AppProtocol
import ISO20Common
import ISO20DC

/// A response the EVCC receives (decoded with the message set the V2GTP payload type names).
public typealias EVCCResponse = SECCResponse
/// A request the EVCC sends.
public typealias EVCCRequest = SECCRequest

/// What the EVCC runtime must do after the state machine handled an input.
public enum EVCCAction: Sendable, Hashable {
    case send(EVCCRequest)
    /// Start V2G_EVCC_Msg_Timeout for the request just sent.
    case startResponseTimer(Duration)
    /// Charge with this target (the power electronics of the EV follow it).
    case chargeTarget(voltage: Double, current: Double)
    /// The charger reports its output (charge loop): volts and amperes, negative when discharging.
    case evsePresent(voltage: Double, current: Double)
    case endSession(SessionEnd)
}

/// Where the EVCC is: the request it is waiting for an answer to.
public enum EVCCState: String, Sendable, Hashable {
    case idle, supportedAppProtocol, sessionSetup, authorizationSetup, authorization, serviceDiscovery, serviceDetail
    case serviceSelection, chargeParameterDiscovery, scheduleExchange, cableCheck, preCharge, powerDeliveryStart
    case chargeLoop, powerDeliveryRenegotiation, powerDeliveryStop, weldingDetection, sessionStop, ended
}

/// The EVCC side of an ISO 15118-20 DC session, sans I/O: responses and timer expiries in,
/// requests and actions out. It drives the standard sequence to the end: SessionStop(Terminate).
public struct EVCCSession: Sendable {
    public let configuration: EVCCConfiguration
    public private(set) var state: EVCCState = .idle
    public private(set) var sessionID: [UInt8] = SessionIDGenerator.zero
    public private(set) var agreedProtocol: V2GProtocol?
    public private(set) var service: SelectedServiceType?
    private var sapRequest: SupportedAppProtocolReq?
    private var offeredServices: [UInt16] = []
    /// The schedule tuple the EV follows (Scheduled): the first one ScheduleExchangeRes offered,
    /// and whether its charging schedule came with a PowerTolerance for the EV to accept.
    private var scheduleTupleID: UInt32?
    private var scheduleHasPowerTolerance = false
    /// How the session ends once power is off: Terminate, Pause (keeping the session to resume), or
    /// ServiceRenegotiation (going on from ServiceDiscovery) when the SECC asks for it.
    private var stopIntent: ChargingSessionType = .terminate
    /// A new schedule is being agreed with power on (PowerDelivery(ScheduleRenegotiation)).
    private var renegotiatingSchedule = false
    /// Set when the SECC answered SessionStop(Pause): what `EVCCConfiguration.resume` takes.
    public private(set) var pausedSession: PausedSession?
    /// When each repeatable phase began, for its overall timeout.
    private var phaseStart: [EVCCState: Duration] = [:]

    public init(configuration: EVCCConfiguration) {
        self.configuration = configuration
        // A resume presents the paused SessionID in SessionSetupReq.
        if let resume = configuration.resume { sessionID = resume.sessionID }
    }

    var isBPT: Bool { service?.serviceID == EnergyService.dcBPTServiceID }

    // MARK: inputs

    /// Opens the session: supportedAppProtocolReq.
    public mutating func start(ev: EVInputs) -> [EVCCAction] {
        guard state == .idle else { return [] }
        let request = AppProtocolNegotiation.request(offering: configuration.protocols)
        sapRequest = request
        state = .supportedAppProtocol
        phaseStart[.supportedAppProtocol] = ev.elapsed
        return [.send(.supportedAppProtocol(request)), .startResponseTimer(V2GTiming.evccSupportedAppProtocolTimeout)]
    }

    /// V2G_EVCC_Msg_Timeout expired: no answer in time ends the session.
    public mutating func responseTimerExpired() -> [EVCCAction] {
        guard state != .ended, state != .idle else { return [] }
        return end(.responseTimeout, "no response to \(state.rawValue) within V2G_EVCC_Msg_Timeout")
    }

    /// V2G_EVCC_CommunicationSetup_Timeout, which the runtime counts from the TCP connection:
    /// the TLS handshake, supportedAppProtocol and SessionSetup must be done by then, so an SECC
    /// that accepts and then stalls (mid-handshake, say) cannot hold the EV.
    public mutating func communicationSetupTimerExpired() -> [EVCCAction] {
        guard [.idle, .supportedAppProtocol, .sessionSetup].contains(state) else { return [] }
        return end(.phaseTimeout, "communication setup did not finish within \(V2GTiming.evccCommunicationSetupTimeout)")
    }

    public mutating func connectionLost() -> [EVCCAction] {
        guard state != .ended else { return [] }
        return end(.connectionLost, "connection closed in state \(state)")
    }

    public mutating func receive(_ response: EVCCResponse, ev: EVInputs) -> [EVCCAction] {
        guard state != .ended, state != .idle else { return [] }
        if let timeout = phaseTimeout(ev) { return timeout }
        switch (state, response) {
        case (.supportedAppProtocol, .supportedAppProtocol(let res)):
            guard let request = sapRequest, let agreed = AppProtocolNegotiation.agreed(res, to: request) else {
                return end(.noCommonProtocol, "the SECC supports none of our protocols")
            }
            agreedProtocol = agreed
            return send(.sessionSetup, at: ev.elapsed, .common(.sessionSetupReq(SessionSetupReqType(header: header(ev), evccid: configuration.evccID))))
        case (_, .supportedAppProtocol):
            return unexpected(response)
        default:
            break
        }
        guard let code = response.responseCode, let responseHeader = response.header else { return unexpected(response) }
        if code.rawValue.hasPrefix("FAILED") { return end(.failed(code), "\(state.rawValue): \(code.rawValue)") }
        if state != .sessionSetup && responseHeader.sessionID != sessionID {
            return end(.failed(.failed_UnknownSession), "response carries another SessionID")
        }
        switch (state, response) {
        case (.sessionSetup, .common(.sessionSetupRes(let m))):
            if m.responseCode == .ok_OldSessionJoined, let resume = configuration.resume, m.header.sessionID == resume.sessionID {
                // Resumed: straight to ChargeParameterDiscovery under the service selected before.
                service = resume.selectedService
                return send(.chargeParameterDiscovery, at: ev.elapsed, .dc(.dc_ChargeParameterDiscoveryReq(chargeParameters(ev))))
            }
            sessionID = m.header.sessionID
            return send(.authorizationSetup, at: ev.elapsed, .common(.authorizationSetupReq(AuthorizationSetupReqType(header: header(ev)))))
        case (.authorizationSetup, .common(.authorizationSetupRes)):
            return authorize(ev)
        case (.authorization, .common(.authorizationRes(let m))):
            // Repeat while the SECC is still authorizing ([V2G20-1582]).
            if m.evseProcessing != .finished { return authorize(ev) }
            return send(.serviceDiscovery, at: ev.elapsed, .common(.serviceDiscoveryReq(ServiceDiscoveryReqType(header: header(ev)))))
        case (.serviceDiscovery, .common(.serviceDiscoveryRes(let m))):
            offeredServices = m.energyTransferServiceList.service.map(\.serviceID)
            let wanted = offeredServices.contains(configuration.preferredService) ? configuration.preferredService
                : offeredServices.contains(EnergyService.dcServiceID) ? EnergyService.dcServiceID : nil
            guard let wanted else { return end(.failed(.failed_NoEnergyTransferServiceSelected), "no DC service offered") }
            return send(.serviceDetail, at: ev.elapsed, .common(.serviceDetailReq(ServiceDetailReqType(header: header(ev), serviceID: wanted))))
        case (.serviceDetail, .common(.serviceDetailRes(let m))):
            // The parameter set whose ControlMode is ours ([V2G20-1216]: only offered IDs).
            let set = m.serviceParameterList.parameterSet.first { set in
                set.parameter.contains { $0.name == "ControlMode" && $0.choice == .intValue(configuration.controlMode.rawValue) }
            }
            guard let set else { return end(.failed(.failed_ServiceSelectionInvalid), "no parameter set with our control mode") }
            let selected = SelectedServiceType(serviceID: m.serviceID, parameterSetID: set.parameterSetID)
            service = selected
            return send(.serviceSelection, at: ev.elapsed, .common(.serviceSelectionReq(ServiceSelectionReqType(header: header(ev), selectedEnergyTransferService: selected))))
        case (.serviceSelection, .common(.serviceSelectionRes)):
            return send(.chargeParameterDiscovery, at: ev.elapsed, .dc(.dc_ChargeParameterDiscoveryReq(chargeParameters(ev))))
        case (.chargeParameterDiscovery, .dc(.dc_ChargeParameterDiscoveryRes)):
            return scheduleExchange(ev)
        case (.scheduleExchange, .common(.scheduleExchangeRes(let m))):
            if m.evseProcessing != .finished { return scheduleExchange(ev) }
            if case .scheduled_SEResControlMode(let scheduled) = m.seResControlMode {
                scheduleTupleID = scheduled.scheduleTuple.first?.scheduleTupleID
                scheduleHasPowerTolerance = scheduled.scheduleTuple.first?.chargingSchedule.powerSchedule.powerTolerance != nil
            }
            if renegotiatingSchedule {
                // Power is on: back to the charge loop with the new schedule.
                renegotiatingSchedule = false
                return send(.powerDeliveryStart, at: ev.elapsed, .common(.powerDeliveryReq(powerDeliveryStart(ev))))
            }
            return send(.cableCheck, at: ev.elapsed, .dc(.dc_CableCheckReq(DC_CableCheckReqType(header: header(ev)))))
        case (.cableCheck, .dc(.dc_CableCheckRes(let m))):
            if m.evseProcessing != .finished { return send(.cableCheck, at: ev.elapsed, .dc(.dc_CableCheckReq(DC_CableCheckReqType(header: header(ev))))) }
            return preCharge(ev)
        case (.preCharge, .dc(.dc_PreChargeRes(let m))):
            // Pre-charge ends when the EVSE's output is within 20 V of the battery.
            if abs(m.evsePresentVoltage.doubleValue - ev.presentVoltage) > 20 { return preCharge(ev) }
            return send(.powerDeliveryStart, at: ev.elapsed, .common(.powerDeliveryReq(powerDeliveryStart(ev))))
        case (.powerDeliveryStart, .common(.powerDeliveryRes)):
            return chargeLoop(ev)
        case (.chargeLoop, .dc(.dc_ChargeLoopRes(let m))):
            let present = EVCCAction.evsePresent(voltage: m.evsePresentVoltage.doubleValue, current: m.evsePresentCurrent.doubleValue)
            // The SECC's notification is honoured at once, well within NotificationMaxDelay.
            let notification = m.evseStatus?.evseNotification
            if notification == .serviceRenegotiation { stopIntent = .serviceRenegotiation }
            if ev.pauseRequested || notification == .pause { stopIntent = .pause }
            if ev.chargingComplete || notification == .terminate { stopIntent = .terminate }
            if notification == .scheduleRenegotiation && !ev.chargingComplete && !ev.pauseRequested {
                return [present] + send(.powerDeliveryRenegotiation, at: ev.elapsed, .common(.powerDeliveryReq(PowerDeliveryReqType(
                    header: header(ev), evProcessing: .finished, chargeProgress: .scheduleRenegotiation))))
            }
            if ev.chargingComplete || ev.pauseRequested || [.terminate, .pause, .serviceRenegotiation].contains(notification) {
                return [present] + send(.powerDeliveryStop, at: ev.elapsed, .common(.powerDeliveryReq(PowerDeliveryReqType(header: header(ev), evProcessing: .finished, chargeProgress: .stop))))
            }
            return [present] + chargeLoop(ev)
        case (.powerDeliveryRenegotiation, .common(.powerDeliveryRes)):
            // ScheduleRenegotiation: a new ScheduleExchange with power on, its Ongoing limit
            // counted afresh, then PowerDelivery(Start) with the new profile.
            renegotiatingSchedule = true
            phaseStart[.scheduleExchange] = nil
            return scheduleExchange(ev)
        case (.powerDeliveryStop, .common(.powerDeliveryRes)):
            return send(.weldingDetection, at: ev.elapsed, .dc(.dc_WeldingDetectionReq(DC_WeldingDetectionReqType(header: header(ev), evProcessing: .finished))))
        case (.weldingDetection, .dc(.dc_WeldingDetectionRes)):
            return send(.sessionStop, at: ev.elapsed, .common(.sessionStopReq(SessionStopReqType(header: header(ev), chargingSession: stopIntent))))
        case (.sessionStop, .common(.sessionStopRes)) where stopIntent == .serviceRenegotiation:
            // Renegotiation ([V2G20-1477]): the session goes on from ServiceDiscovery; every DC
            // phase is run again under the newly selected service.
            service = nil
            scheduleTupleID = nil
            stopIntent = .terminate
            phaseStart = phaseStart.filter { $0.key == .supportedAppProtocol }
            return send(.serviceDiscovery, at: ev.elapsed, .common(.serviceDiscoveryReq(ServiceDiscoveryReqType(header: header(ev)))))
        case (.sessionStop, .common(.sessionStopRes)):
            guard stopIntent == .pause, let service else { return end(.terminated, "SessionStop(Terminate) answered") }
            pausedSession = PausedSession(sessionID: sessionID, evccID: configuration.evccID, selectedService: service)
            return end(.paused, "SessionStop(Pause) answered")
        default:
            return unexpected(response)
        }
    }

    /// The overall limits of phases that repeat or take time (PROTOCOL-NOTES §8):
    /// V2G_EVCC_CommunicationSetup_Timeout until SessionSetupRes, V2G_EVCC_Ongoing_Timeout for
    /// authorization and schedule exchange, V2G_EVCC_CableCheck_Timeout, V2G_EVCC_PreCharge_Timeout.
    static func phaseLimit(_ state: EVCCState) -> (phase: EVCCState, limit: Duration)? {
        switch state {
        case .supportedAppProtocol, .sessionSetup: return (.supportedAppProtocol, V2GTiming.evccCommunicationSetupTimeout)
        case .authorization: return (.authorization, V2GTiming.evccOngoingTimeout)
        case .scheduleExchange: return (.scheduleExchange, V2GTiming.evccOngoingTimeout)
        case .cableCheck: return (.cableCheck, V2GTiming.evccCableCheckTimeout)
        case .preCharge: return (.preCharge, V2GTiming.evccPreChargeTimeout)
        default: return nil
        }
    }

    private mutating func phaseTimeout(_ ev: EVInputs) -> [EVCCAction]? {
        guard let (phase, limit) = Self.phaseLimit(state), let start = phaseStart[phase], ev.elapsed - start > limit else { return nil }
        return end(.phaseTimeout, "\(phase.rawValue) did not finish within \(limit)")
    }

    // MARK: requests

    private mutating func authorize(_ ev: EVInputs) -> [EVCCAction] {
        send(.authorization, at: ev.elapsed, .common(.authorizationReq(AuthorizationReqType(
            header: header(ev), selectedAuthorizationService: .eim, aReqAuthorizationMode: .eim_AReqAuthorizationMode(EIM_AReqAuthorizationModeType())))))
    }

    private func chargeParameters(_ ev: EVInputs) -> DC_ChargeParameterDiscoveryReqType {
        let l = ev.limits
        let r: (Double) -> RationalNumberType = { RationalNumberType($0) }
        if isBPT {
            return DC_ChargeParameterDiscoveryReqType(header: header(ev), dc_CPDReqEnergyTransferMode: .bpt_DC_CPDReqEnergyTransferMode(BPT_DC_CPDReqEnergyTransferModeType(
                evMaximumChargePower: r(l.maximumChargePower), evMinimumChargePower: r(l.minimumChargePower),
                evMaximumChargeCurrent: r(l.maximumChargeCurrent), evMinimumChargeCurrent: r(l.minimumChargeCurrent),
                evMaximumVoltage: r(l.maximumVoltage), evMinimumVoltage: r(l.minimumVoltage),
                evMaximumDischargePower: r(l.maximumDischargePower), evMinimumDischargePower: r(l.minimumDischargePower),
                evMaximumDischargeCurrent: r(l.maximumDischargeCurrent), evMinimumDischargeCurrent: r(l.minimumDischargeCurrent))))
        }
        return DC_ChargeParameterDiscoveryReqType(header: header(ev), dc_CPDReqEnergyTransferMode: .dc_CPDReqEnergyTransferMode(DC_CPDReqEnergyTransferModeType(
            evMaximumChargePower: r(l.maximumChargePower), evMinimumChargePower: r(l.minimumChargePower),
            evMaximumChargeCurrent: r(l.maximumChargeCurrent), evMinimumChargeCurrent: r(l.minimumChargeCurrent),
            evMaximumVoltage: r(l.maximumVoltage), evMinimumVoltage: r(l.minimumVoltage))))
    }

    private mutating func scheduleExchange(_ ev: EVInputs) -> [EVCCAction] {
        let mode: ScheduleExchangeReqType.SEReqControlMode
        switch configuration.controlMode {
        case .scheduled:
            mode = .scheduled_SEReqControlMode(Scheduled_SEReqControlModeType(departureTime: configuration.departureTime))
        case .dynamic:
            mode = .dynamic_SEReqControlMode(Dynamic_SEReqControlModeType(
                departureTime: configuration.departureTime, evTargetEnergyRequest: RationalNumberType(ev.energyRequest),
                evMaximumEnergyRequest: RationalNumberType(ev.energyRequest * 1.2), evMinimumEnergyRequest: RationalNumberType(0)))
        }
        return send(.scheduleExchange, at: ev.elapsed, .common(.scheduleExchangeReq(ScheduleExchangeReqType(header: header(ev), maximumSupportingPoints: 1024, seReqControlMode: mode))))
    }

    private mutating func preCharge(_ ev: EVInputs) -> [EVCCAction] {
        send(.preCharge, at: ev.elapsed, .dc(.dc_PreChargeReq(DC_PreChargeReqType(header: header(ev), evProcessing: .ongoing,
                                                                  evPresentVoltage: RationalNumberType(ev.presentVoltage), evTargetVoltage: RationalNumberType(ev.presentVoltage)))))
    }

    /// PowerDelivery(Start) with the EV's power profile: the planned power until departure, in
    /// Scheduled mode tied to the schedule tuple it follows. An EV that has finished processing
    /// sends its profile with Start (Josev's SECC rejects a Start without one); DC_BPT names the
    /// channel it starts on. PowerToleranceAcceptance is optional in the XSD; the EV states it
    /// always (confirmed when the schedule offered a tolerance), since Josev's SECC rejects a
    /// Scheduled profile without it.
    private func powerDeliveryStart(_ ev: EVInputs) -> PowerDeliveryReqType {
        var planned = ev.targetVoltage * ev.targetCurrent
        if planned == 0 { planned = ev.limits.maximumChargePower }
        let control: EVPowerProfileType.EVPPTControlMode = configuration.controlMode == .scheduled
            ? .scheduled_EVPPTControlMode(Scheduled_EVPPTControlModeType(
                selectedScheduleTupleID: scheduleTupleID ?? 1,
                powerToleranceAcceptance: scheduleHasPowerTolerance ? .powerToleranceConfirmed : .powerToleranceNotConfirmed))
            : .dynamic_EVPPTControlMode(Dynamic_EVPPTControlModeType())
        let profile = EVPowerProfileType(
            timeAnchor: ev.timestamp, evpptControlMode: control,
            evPowerProfileEntries: EVPowerProfileEntryListType(evPowerProfileEntry: [
                PowerScheduleEntryType(duration: max(configuration.departureTime, 1), power: RationalNumberType(planned))]))
        return PowerDeliveryReqType(header: header(ev), evProcessing: .finished, chargeProgress: .start, evPowerProfile: profile,
                                    bpt_ChannelSelection: isBPT ? (planned < 0 ? .discharge : .charge) : nil)
    }

    private mutating func chargeLoop(_ ev: EVInputs) -> [EVCCAction] {
        let l = ev.limits
        let r: (Double) -> RationalNumberType = { RationalNumberType($0) }
        let mode: DC_ChargeLoopReqType.CLReqControlMode
        switch (configuration.controlMode, isBPT) {
        case (.scheduled, false):
            mode = .scheduled_DC_CLReqControlMode(Scheduled_DC_CLReqControlModeType(evTargetCurrent: r(ev.targetCurrent), evTargetVoltage: r(ev.targetVoltage)))
        case (.scheduled, true):
            mode = .bpt_Scheduled_DC_CLReqControlMode(BPT_Scheduled_DC_CLReqControlModeType(evTargetCurrent: r(ev.targetCurrent), evTargetVoltage: r(ev.targetVoltage)))
        case (.dynamic, false):
            mode = .dynamic_DC_CLReqControlMode(Dynamic_DC_CLReqControlModeType(
                departureTime: configuration.departureTime, evTargetEnergyRequest: r(ev.energyRequest), evMaximumEnergyRequest: r(ev.energyRequest * 1.2),
                evMinimumEnergyRequest: r(0), evMaximumChargePower: r(l.maximumChargePower), evMinimumChargePower: r(l.minimumChargePower),
                evMaximumChargeCurrent: r(l.maximumChargeCurrent), evMaximumVoltage: r(l.maximumVoltage), evMinimumVoltage: r(l.minimumVoltage)))
        case (.dynamic, true):
            mode = .bpt_Dynamic_DC_CLReqControlMode(BPT_Dynamic_DC_CLReqControlModeType(
                departureTime: configuration.departureTime, evTargetEnergyRequest: r(ev.energyRequest), evMaximumEnergyRequest: r(ev.energyRequest * 1.2),
                evMinimumEnergyRequest: r(0), evMaximumChargePower: r(l.maximumChargePower), evMinimumChargePower: r(l.minimumChargePower),
                evMaximumChargeCurrent: r(l.maximumChargeCurrent), evMaximumVoltage: r(l.maximumVoltage), evMinimumVoltage: r(l.minimumVoltage),
                evMaximumDischargePower: r(l.maximumDischargePower), evMinimumDischargePower: r(l.minimumDischargePower),
                evMaximumDischargeCurrent: r(l.maximumDischargeCurrent)))
        }
        return send(.chargeLoop, at: ev.elapsed, .dc(.dc_ChargeLoopReq(DC_ChargeLoopReqType(
            header: header(ev), displayParameters: DisplayParametersType(presentSOC: ev.soc, chargingComplete: ev.chargingComplete),
            meterInfoRequested: false, evPresentVoltage: r(ev.presentVoltage), clReqControlMode: mode))))
    }

    // MARK: helpers

    private func header(_ ev: EVInputs) -> MessageHeaderType { MessageHeaderType(sessionID: sessionID, timeStamp: ev.timestamp) }

    private mutating func send(_ next: EVCCState, at elapsed: Duration, _ request: EVCCRequest) -> [EVCCAction] {
        if let (phase, _) = Self.phaseLimit(next), phaseStart[phase] == nil { phaseStart[phase] = elapsed }
        state = next
        let timeout: Duration
        switch next {
        case .serviceDetail: timeout = V2GTiming.evccMessageTimeoutLong
        case .chargeLoop: timeout = V2GTiming.evccMessageTimeoutChargeLoop
        default: timeout = V2GTiming.evccMessageTimeout
        }
        return [.send(request), .startResponseTimer(timeout)]
    }

    private mutating func unexpected(_ response: EVCCResponse) -> [EVCCAction] {
        end(.unexpectedResponse, "unexpected response while waiting for \(state.rawValue)")
    }

    private mutating func end(_ reason: SessionEnd.Reason, _ detail: String) -> [EVCCAction] {
        state = .ended
        return [.endSession(SessionEnd(reason: reason, detail: detail))]
    }
}
