/// Where the SECC is in the -20 message sequence (PROTOCOL-NOTES §7), named by what it waits for.
public enum SECCState: String, Sendable, Hashable {
    case waitingForSupportedAppProtocol
    case waitingForSessionSetup
    case waitingForAuthorizationSetup
    /// AuthorizationReq, repeated while the SECC answers Ongoing.
    case waitingForAuthorization
    case waitingForServiceDiscovery
    /// ServiceDetailReq once per service of interest, then ServiceSelectionReq.
    case waitingForServiceDetailOrSelection
    case waitingForChargeParameterDiscovery
    /// ScheduleExchangeReq, repeated while the SECC answers Ongoing.
    case waitingForScheduleExchange
    /// DC_CableCheckReq, repeated while the isolation check runs.
    case waitingForCableCheck
    /// DC_PreChargeReq (repeated) until PowerDeliveryReq(Start).
    case preCharging
    /// DC_ChargeLoopReq (repeated) until PowerDeliveryReq(Stop).
    case charging
    /// Power on, ScheduleExchangeReq (repeated while Ongoing) after PowerDelivery(ScheduleRenegotiation).
    case renegotiatingSchedule
    /// Power on, the new schedule agreed: PowerDeliveryReq(Start) back to the charge loop.
    case waitingForPowerDeliveryAfterRenegotiation
    /// DC_WeldingDetectionReq (repeated) or SessionStopReq.
    case waitingForWeldingDetection
    case ended

    /// The requests this state accepts; anything else is FAILED_SequenceError ([V2G20-459]).
    /// SessionStop is accepted from every state after SessionSetup.
    public var allowed: Set<RequestKind> {
        switch self {
        case .waitingForSupportedAppProtocol: return [.supportedAppProtocol]
        case .waitingForSessionSetup: return [.sessionSetup]
        case .waitingForAuthorizationSetup: return [.authorizationSetup, .sessionStop]
        case .waitingForAuthorization: return [.authorization, .sessionStop]
        case .waitingForServiceDiscovery: return [.serviceDiscovery, .sessionStop]
        case .waitingForServiceDetailOrSelection: return [.serviceDetail, .serviceSelection, .sessionStop]
        case .waitingForChargeParameterDiscovery: return [.dcChargeParameterDiscovery, .sessionStop]
        case .waitingForScheduleExchange: return [.scheduleExchange, .sessionStop]
        case .waitingForCableCheck: return [.dcCableCheck, .sessionStop]
        case .preCharging: return [.dcPreCharge, .powerDelivery, .sessionStop]
        case .charging: return [.dcChargeLoop, .powerDelivery, .sessionStop]
        case .renegotiatingSchedule: return [.scheduleExchange, .sessionStop]
        case .waitingForPowerDeliveryAfterRenegotiation: return [.powerDelivery, .sessionStop]
        case .waitingForWeldingDetection: return [.dcWeldingDetection, .powerDelivery, .sessionStop]
        case .ended: return []
        }
    }

    /// V2G_SECC_Sequence_Timeout that applies after answering in this state.
    public var sequenceTimeout: Duration {
        self == .charging ? V2GTiming.seccSequenceTimeoutChargeLoop : V2GTiming.seccSequenceTimeout
    }
}
