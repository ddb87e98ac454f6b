import AppProtocol
import ISO20AC
import ISO20Common
import ISO20DC

/// The SECC's place in the -20 message sequence as a third party infers it from a conversation
/// (`v2g trace`): each request with the answer it got moves the state the way `SECCSession`
/// moves its own, and before each request the observer says whether our SECC, in that state,
/// would take it or answer FAILED_SequenceError ([V2G20-459]). The states and the phases are the
/// SECC's (`SECCState`, the modules' `EnergyTransferPhase`s and `state(after:)`); what the SECC
/// decides by itself (Ongoing or Finished) is read from its answers.
///
/// A capture may begin mid-session, or resume a paused session it did not see: the state is
/// then unknown (nil) and nothing is judged until a SessionSetup or ServiceSelection sets it.
public struct SECCSequenceObserver: Sendable {
    public private(set) var state: SECCState?
    /// The energy service selected (or resumed): a session paused with it resumes into it.
    public private(set) var selectedService: SelectedServiceType?
    private var module: (any SECCEnergyTransfer)?
    /// PowerDelivery(Stop) answered while the EV was still processing: a repeat is in sequence.
    private var stopOngoing = false
    /// The last answer was a charge loop response asking for MeteringConfirmation
    /// (EVSENotification MeteringConfirmation): MeteringConfirmationReq may follow it.
    private var meteringAsked = false
    /// AuthorizationSetupRes offered CertificateInstallation ([V2G20-1970]).
    private var installationOffered = false

    /// From the start of a session: supportedAppProtocolReq first.
    public init() { state = .waitingForSupportedAppProtocol }

    /// From the middle of a session: nothing judged until the state is known.
    public init(midSession: Void) { state = nil }

    /// Whether our SECC, in the state observed, takes `request` in sequence (nil: the state is not
    /// known). PowerDelivery(Standby) where power could start next is declined with a warning, not
    /// refused out of sequence (`SECCStandby`).
    public func accepts(_ request: V2GRequest) -> Bool? {
        guard let state, let kind = request.kind else { return nil }
        switch request {
        case .common(.meteringConfirmationReq):
            return meteringAsked
        case .common(.certificateInstallationReq):
            return state.accepts(kind) && installationOffered
        case .common(.powerDeliveryReq(let m)):
            guard case .energyTransfer(let phase) = state else { return state.accepts(kind) }
            if phase.power == .stopped { return m.chargeProgress == .stop && stopOngoing }
            if m.chargeProgress == .standby, phase == module?.phaseAfterScheduleExchange { return true }
            return state.accepts(kind)
        default:
            return state.accepts(kind)
        }
    }

    /// `request` was answered with `response`. `resuming` is the service of the paused session a
    /// SessionSetupRes(OK_OldSessionJoined) continues, when the observer saw it paused.
    public mutating func observe(_ request: V2GRequest, answeredBy response: V2GResponse, resuming: SelectedServiceType? = nil) {
        let inSequence = accepts(request)
        meteringAsked = Self.notification(response) == .meteringConfirmation
        if response.responseCode?.rawValue.hasPrefix("FAILED") == true {
            state = .ended
            return
        }
        // The SECC took a request ours would have refused: follow it from where that request belongs.
        if inSequence == false, let kind = request.kind, let place = place(of: kind) { state = place }
        switch (request, response) {
        case (.supportedAppProtocol, .supportedAppProtocol(let r)):
            state = r.responseCode == .failed_NoNegotiation ? .ended : .waitingForSessionSetup
        case (.common(.sessionSetupReq), .common(.sessionSetupRes(let r))):
            if r.responseCode == .ok_OldSessionJoined {
                // A resume continues with the ChargeParameterDiscovery of the service paused.
                if let resuming { select(resuming) } else { state = nil; module = nil }
            } else {
                state = .waitingForAuthorizationSetup
            }
        case (.common(.authorizationSetupReq), .common(.authorizationSetupRes(let r))):
            installationOffered = r.certificateInstallationService
            state = .waitingForAuthorization
        case (.common(.certificateInstallationReq), _):
            state = .waitingForAuthorization
        case (.common(.authorizationReq), .common(.authorizationRes(let r))):
            // Authorized: on to ServiceDiscovery; a WARNING lets the EV try again ([V2G20-1583]).
            if r.evseProcessing == .finished, !r.responseCode.rawValue.hasPrefix("WARNING") { state = .waitingForServiceDiscovery }
        case (.common(.serviceDiscoveryReq), _), (.common(.serviceDetailReq), _):
            state = .waitingForServiceDetailOrSelection
        case (.common(.serviceSelectionReq(let m)), _):
            select(m.selectedEnergyTransferService)
        case (.common(.scheduleExchangeReq), .common(.scheduleExchangeRes(let r))):
            guard r.evseProcessing == .finished, let module else { return }
            state = state == .renegotiatingSchedule ? .waitingForPowerDeliveryAfterRenegotiation : .energyTransfer(module.phaseAfterScheduleExchange)
        case (.common(.powerDeliveryReq(let m)), .common(.powerDeliveryRes(let r))):
            powerDelivery(m, r)
        case (.common(.sessionStopReq(let m)), _):
            state = m.chargingSession == .serviceRenegotiation ? .waitingForServiceDiscovery : .ended
            if m.chargingSession == .serviceRenegotiation { module = nil; selectedService = nil }
        default:
            // The service's own requests: its module says where its answers lead.
            if let next = module?.state(after: response) { state = next }
        }
    }

    /// The EVSENotification a charge loop response carries.
    static func notification(_ response: V2GResponse) -> EvseNotificationType? {
        switch response {
        case .dc(.dc_ChargeLoopRes(let m)): m.evseStatus?.evseNotification
        case .ac(.ac_ChargeLoopRes(let m)): m.evseStatus?.evseNotification
        default: nil
        }
    }

    /// The state a request of `kind` is taken in (nil: several, or it depends on more than the kind).
    private func place(of kind: MessageKind) -> SECCState? {
        switch kind {
        case .common(.authorizationSetupReq): return .waitingForAuthorizationSetup
        case .common(.authorizationReq), .common(.certificateInstallationReq): return .waitingForAuthorization
        case .common(.serviceDiscoveryReq): return .waitingForServiceDiscovery
        case .common(.serviceDetailReq): return .waitingForServiceDetailOrSelection
        case .common(.scheduleExchangeReq): return .waitingForScheduleExchange
        default: return module?.phases.first { $0.requests.contains(kind) }.map { .energyTransfer($0) }
        }
    }

    private mutating func select(_ selected: SelectedServiceType) {
        selectedService = selected
        module = SECCEnergyTransfers.module(for: selected, configuration: SECCConfiguration(evseID: ""))
        state = module.map { .energyTransfer($0.firstPhase) }
    }

    private mutating func powerDelivery(_ m: PowerDeliveryReqType, _ r: PowerDeliveryResType) {
        guard let module, r.responseCode != .warning_StandbyNotAllowed else { return }
        switch m.chargeProgress {
        case .start where m.evProcessing != .finished:
            return  // the EV repeats it when its profile is ready
        case .start, .standby:
            state = .energyTransfer(module.chargingPhase)
        case .scheduleRenegotiation:
            state = .renegotiatingSchedule
        case .stop:
            state = .energyTransfer(module.phaseAfterPowerOff)
            stopOngoing = m.evProcessing != .finished
        }
    }
}
