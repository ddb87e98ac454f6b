import AppProtocol
import ISO20Common
import ISO20DC

/// What the SECC runtime must do after the state machine handled an input.
public enum SECCAction: Sendable, Hashable {
    /// Send this response.
    case send(SECCResponse)
    /// (Re)start V2G_SECC_Sequence_Timeout: the SECC resets it on sending a response ([V2G20-441]).
    case startSequenceTimer(Duration)
    /// supportedAppProtocol agreed on this protocol.
    case protocolSelected(V2GProtocol)
    /// The EV asked for the cable check: start the isolation test of the DC output.
    case startCableCheck
    /// Pre-charge: bring the output to `voltage` (volts) with at most `current` (amperes).
    case preCharge(voltage: Double, current: Double)
    /// PowerDelivery: close (`true`) or open (`false`) the contactors and start or stop power.
    case powerDelivery(on: Bool)
    /// The charge loop's target from the EV: voltage and current (negative current discharges).
    case chargeTarget(voltage: Double, current: Double)
    /// The session is over; close the connection (after the response, if any, is sent).
    case endSession(SessionEnd)
    /// SessionSetup joined this paused session: it can no longer be resumed by anyone else.
    case resumed(PausedSession)
}

/// Why a session ended.
public struct SessionEnd: Sendable, Hashable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable {
        /// SessionStop(Terminate) from the EV.
        case terminated
        /// SessionStop(Pause) from the EV: the SessionID stays valid for a resume.
        case paused
        /// A FAILED response code ended it (any FAILED* is fatal for both sides).
        case failed(ISO20Common.ResponseCodeType)
        /// supportedAppProtocol found no common protocol.
        case noCommonProtocol
        /// V2G_SECC_Sequence_Timeout expired waiting for the next request.
        case sequenceTimeout
        /// The connection closed without SessionStop.
        case connectionLost
        /// A request the codec could not decode, or one the SECC does not answer.
        case malformedRequest
        /// A response that does not answer the request sent (EVCC side).
        case unexpectedResponse
        /// V2G_EVCC_Msg_Timeout expired waiting for a response (EVCC side).
        case responseTimeout
        /// V2G_EVCC_Ongoing/CableCheck/PreCharge/CommunicationSetup_Timeout expired (EVCC side).
        case phaseTimeout
    }

    public var reason: Reason
    public var detail: String

    public var description: String { "\(reason): \(detail)" }
}

/// The SECC side of an ISO 15118-20 session, sans I/O: requests and timer expiries in, actions
/// out. No sockets, no clocks, no threads; SessionIDs come from an injected generator.
public struct SECCSession: Sendable {
    public let configuration: SECCConfiguration
    public internal(set) var state: SECCState = .waitingForSupportedAppProtocol
    public private(set) var sessionID: [UInt8]?
    public internal(set) var selectedService: SelectedServiceType?
    /// The limits announced in DC_ChargeParameterDiscoveryRes: the loop stays within them
    /// ([V2G20-2654], [V2G20-2655]).
    public internal(set) var announcedLimits: DCLimits?
    /// The EVCCID of SessionSetupReq.
    public private(set) var evccID: String?
    /// Set when SessionStop(Pause) ended the session: what a resume needs.
    public private(set) var pausedSession: PausedSession?
    /// Sessions paused on this charger that a SessionSetupReq may join.
    private let resumable: [PausedSession]
    var cableCheckStarted = false
    /// When the EV must have begun stopping after a Terminate, Pause or ServiceRenegotiation
    /// notification (header time, seconds): the notification's time plus NotificationMaxDelay.
    var notificationDeadline: UInt64?
    /// The last PowerDelivery(Stop) had EVProcessing = Ongoing: the EV will repeat it.
    var powerDeliveryStopOngoing = false
    private let makeSessionID: @Sendable () -> [UInt8]

    /// `makeSessionID` must return 8 random bytes, not all zero, from a CSPRNG ([V2G20-2621], [V2G20-2106]).
    /// `resumable`: the sessions paused on this charger (the runtime keeps them between connections).
    public init(configuration: SECCConfiguration, resumable: [PausedSession] = [],
                makeSessionID: @escaping @Sendable () -> [UInt8] = SessionIDGenerator.random) {
        self.configuration = configuration
        self.resumable = resumable
        self.makeSessionID = makeSessionID
    }

    // MARK: inputs

    public mutating func receive(_ request: SECCRequest, evse: EVSEInputs) -> [SECCAction] {
        guard state != .ended else { return [] }
        guard let kind = request.kind else {
            return end(.malformedRequest, "request \(request) is not one the SECC answers")
        }
        if case .supportedAppProtocol(let sap) = request {
            guard state == .waitingForSupportedAppProtocol else { return sequenceError(request, kind, evse) }
            return negotiate(sap)
        }
        guard state.allowed.contains(kind) else { return sequenceError(request, kind, evse) }
        // Every request after SessionSetup must carry the session's ID ([V2G20-460]).
        if kind != .sessionSetup, let header = request.header, header.sessionID != sessionID {
            return failed(request, kind, .failed_UnknownSession, evse, "SessionID \(header.sessionID) is not this session's")
        }
        switch request {
        case .common(.sessionSetupReq(let m)): return sessionSetup(m, evse)
        case .common(.authorizationSetupReq): return authorizationSetup(evse)
        case .common(.authorizationReq(let m)): return authorization(m, evse)
        case .common(.serviceDiscoveryReq(let m)): return serviceDiscovery(m, evse)
        case .common(.serviceDetailReq(let m)): return serviceDetail(m, evse)
        case .common(.serviceSelectionReq(let m)): return serviceSelection(m, evse)
        case .common(.sessionStopReq(let m)): return sessionStop(m, evse)
        case .dc(.dc_ChargeParameterDiscoveryReq(let m)): return chargeParameterDiscovery(m, evse)
        case .common(.scheduleExchangeReq(let m)): return scheduleExchange(m, evse)
        case .dc(.dc_CableCheckReq): return cableCheck(evse)
        case .dc(.dc_PreChargeReq(let m)): return preCharge(m, evse)
        case .common(.powerDeliveryReq(let m)): return powerDelivery(m, evse)
        case .dc(.dc_ChargeLoopReq(let m)): return chargeLoop(m, evse)
        case .dc(.dc_WeldingDetectionReq): return weldingDetection(evse)
        default:
            return failed(request, kind, .failed, evse, "\(kind.rawValue) is not handled by this SECC yet")
        }
    }

    /// A connection was accepted: the first request (supportedAppProtocolReq, after the TLS
    /// handshake) must come within V2G_SECC_Sequence_Timeout too, so a peer that connects and
    /// stays silent (or never finishes the handshake) does not hold the connection for ever.
    public func connectionOpened() -> [SECCAction] {
        state == .waitingForSupportedAppProtocol ? [.startSequenceTimer(V2GTiming.seccSequenceTimeout)] : []
    }

    /// V2G_SECC_Sequence_Timeout expired: the SECC stops the session ([V2G20-443]).
    public mutating func sequenceTimerExpired() -> [SECCAction] {
        guard state != .ended else { return [] }
        return end(.sequenceTimeout, "no request within V2G_SECC_Sequence_Timeout in state \(state)")
    }

    /// The peer closed the connection or vanished.
    public mutating func connectionLost() -> [SECCAction] {
        guard state != .ended else { return [] }
        return end(.connectionLost, "connection closed in state \(state)")
    }

    // MARK: handlers

    private mutating func negotiate(_ request: SupportedAppProtocolReq) -> [SECCAction] {
        let selection = AppProtocolNegotiation.select(request, supported: configuration.supportedProtocols)
        guard let selected = selection.selected else {
            return [.send(.supportedAppProtocol(selection.response))] + end(.noCommonProtocol, "EVCC offered none of our protocols")
        }
        state = .waitingForSessionSetup
        return [.send(.supportedAppProtocol(selection.response)), .protocolSelected(selected), .startSequenceTimer(V2GTiming.seccSequenceTimeout)]
    }

    private mutating func sessionSetup(_ m: SessionSetupReqType, _ evse: EVSEInputs) -> [SECCAction] {
        evccID = m.evccid
        // A resume: the old SessionID of a paused session, from the EVCC that paused it; it
        // continues with ChargeParameterDiscovery under the service selected before.
        if m.header.sessionID != SessionIDGenerator.zero,
           let paused = resumable.first(where: { $0.sessionID == m.header.sessionID && $0.evccID == m.evccid }) {
            sessionID = paused.sessionID
            selectedService = paused.selectedService
            state = .waitingForChargeParameterDiscovery
            return [.resumed(paused)] + respond(.common(.sessionSetupRes(SessionSetupResType(
                header: header(evse), responseCode: .ok_OldSessionJoined, evseid: configuration.evseID))))
        }
        // Otherwise a new session with a new SessionID ([V2G20-2626]).
        sessionID = makeSessionID()
        state = .waitingForAuthorizationSetup
        return respond(.common(.sessionSetupRes(SessionSetupResType(
            header: header(evse), responseCode: .ok_NewSessionEstablished, evseid: configuration.evseID))))
    }

    private mutating func authorizationSetup(_ evse: EVSEInputs) -> [SECCAction] {
        state = .waitingForAuthorization
        return respond(.common(.authorizationSetupRes(AuthorizationSetupResType(
            header: header(evse), responseCode: .ok, authorizationServices: configuration.authorizationServices,
            certificateInstallationService: false, asResAuthorizationMode: .eim_ASResAuthorizationMode(EIM_ASResAuthorizationModeType())))))
    }

    private mutating func authorization(_ m: AuthorizationReqType, _ evse: EVSEInputs) -> [SECCAction] {
        guard configuration.authorizationServices.contains(m.selectedAuthorizationService) else {
            return respond(.common(.authorizationRes(AuthorizationResType(
                header: header(evse), responseCode: .warning_AuthorizationSelectionInvalid, evseProcessing: .finished))))
        }
        guard evse.authorized else {
            // The EVCC repeats AuthorizationReq while Ongoing ([V2G20-1582]).
            return respond(.common(.authorizationRes(AuthorizationResType(header: header(evse), responseCode: .ok, evseProcessing: .ongoing))))
        }
        state = .waitingForServiceDiscovery
        return respond(.common(.authorizationRes(AuthorizationResType(header: header(evse), responseCode: .ok, evseProcessing: .finished))))
    }

    private mutating func serviceDiscovery(_ m: ServiceDiscoveryReqType, _ evse: EVSEInputs) -> [SECCAction] {
        var services = configuration.energyServices
        if let wanted = m.supportedServiceIDs?.serviceID { services = services.filter { wanted.contains($0.serviceID) } }
        if services.isEmpty { services = configuration.energyServices }
        state = .waitingForServiceDetailOrSelection
        return respond(.common(.serviceDiscoveryRes(ServiceDiscoveryResType(
            header: header(evse), responseCode: .ok, serviceRenegotiationSupported: configuration.serviceRenegotiationSupported,
            energyTransferServiceList: ServiceListType(service: services.prefix(8).map { ServiceType(serviceID: $0.serviceID, freeService: $0.freeService) })))))
    }

    private mutating func serviceDetail(_ m: ServiceDetailReqType, _ evse: EVSEInputs) -> [SECCAction] {
        guard let service = configuration.energyServices.first(where: { $0.serviceID == m.serviceID }) else {
            // [V2G20-425], [V2G20-464]
            return failed(.common(.serviceDetailReq(m)), .serviceDetail, .failed_ServiceIDInvalid, evse, "ServiceID \(m.serviceID) was not offered")
        }
        return respond(.common(.serviceDetailRes(ServiceDetailResType(
            header: header(evse), responseCode: .ok, serviceID: service.serviceID,
            serviceParameterList: ServiceParameterListType(parameterSet: service.parameterSets)))))
    }

    private mutating func serviceSelection(_ m: ServiceSelectionReqType, _ evse: EVSEInputs) -> [SECCAction] {
        let selected = m.selectedEnergyTransferService
        guard let service = configuration.energyServices.first(where: { $0.serviceID == selected.serviceID }),
              service.parameterSets.contains(where: { $0.parameterSetID == selected.parameterSetID }) else {
            // [V2G20-433], [V2G20-467]
            return failed(.common(.serviceSelectionReq(m)), .serviceSelection, .failed_ServiceSelectionInvalid, evse,
                          "service \(selected.serviceID) / parameter set \(selected.parameterSetID) was not offered")
        }
        selectedService = selected
        state = .waitingForChargeParameterDiscovery
        return respond(.common(.serviceSelectionRes(ServiceSelectionResType(header: header(evse), responseCode: .ok))))
    }

    private mutating func sessionStop(_ m: SessionStopReqType, _ evse: EVSEInputs) -> [SECCAction] {
        let response = SECCAction.send(.common(.sessionStopRes(SessionStopResType(header: header(evse), responseCode: .ok))))
        switch m.chargingSession {
        case .terminate: return [response] + end(.terminated, "SessionStop(Terminate)")
        case .pause:
            if let sessionID, let evccID, let selectedService {
                pausedSession = PausedSession(sessionID: sessionID, evccID: evccID, selectedService: selectedService)
            }
            return [response] + end(.paused, "SessionStop(Pause)")
        case .serviceRenegotiation:
            guard configuration.serviceRenegotiationSupported else {
                return failed(.common(.sessionStopReq(m)), .sessionStop, .failed_NoServiceRenegotiationSupported, evse, "renegotiation not offered")
            }
            // Back to ServiceDiscovery ([V2G20-1477]); the DC phases run again for the new selection.
            state = .waitingForServiceDiscovery
            selectedService = nil
            announcedLimits = nil
            cableCheckStarted = false
            powerDeliveryStopOngoing = false
            return [response, .startSequenceTimer(V2GTiming.seccSequenceTimeout)]
        }
    }

    // MARK: responses

    func header(_ evse: EVSEInputs) -> MessageHeaderType {
        MessageHeaderType(sessionID: sessionID ?? SessionIDGenerator.zero, timeStamp: evse.timestamp)
    }

    func respond(_ response: SECCResponse) -> [SECCAction] {
        [.send(response), .startSequenceTimer(state.sequenceTimeout)]
    }

    mutating func end(_ reason: SessionEnd.Reason, _ detail: String) -> [SECCAction] {
        state = .ended
        return [.endSession(SessionEnd(reason: reason, detail: detail))]
    }

    /// An out-of-sequence request gets FAILED_SequenceError ([V2G20-459]) and ends the session.
    private mutating func sequenceError(_ request: SECCRequest, _ kind: RequestKind, _ evse: EVSEInputs) -> [SECCAction] {
        failed(request, kind, .failed_SequenceError, evse, "\(kind.rawValue) is not allowed in state \(state)")
    }

    /// Answers `request` with `code` (mandatory fields filled with schema-valid values,
    /// [V2G20-736]) and ends the session: every FAILED code is fatal for both sides.
    mutating func failed(_ request: SECCRequest, _ kind: RequestKind, _ code: ISO20Common.ResponseCodeType, _ evse: EVSEInputs, _ detail: String) -> [SECCAction] {
        var actions: [SECCAction] = []
        if let response = FailedResponses.response(to: request, kind: kind, code: code, header: header(evse)) {
            actions.append(.send(response))
        }
        return actions + end(.failed(code), detail)
    }
}
