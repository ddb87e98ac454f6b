/// Where the SECC is in the -20 message sequence (PROTOCOL-NOTES §7), named by what it waits for.
/// The common phases are cases here; the phases of the selected energy service are its module's.
public enum SECCState: Sendable, Hashable, CustomStringConvertible {
    case waitingForSupportedAppProtocol
    case waitingForSessionSetup
    case waitingForAuthorizationSetup
    /// AuthorizationReq, repeated while the SECC answers Ongoing.
    case waitingForAuthorization
    case waitingForServiceDiscovery
    /// ServiceDetailReq once per service of interest, then ServiceSelectionReq.
    case waitingForServiceDetailOrSelection
    /// ScheduleExchangeReq, repeated while the SECC answers Ongoing.
    case waitingForScheduleExchange
    /// Power on, ScheduleExchangeReq (repeated while Ongoing) after PowerDelivery(ScheduleRenegotiation).
    case renegotiatingSchedule
    /// Power on, the new schedule agreed: PowerDeliveryReq(Start) back to the charge loop.
    case waitingForPowerDeliveryAfterRenegotiation
    /// A phase of the selected energy service (DC: ChargeParameterDiscovery, CableCheck, PreCharge,
    /// the charge loop, WeldingDetection).
    case energyTransfer(EnergyTransferPhase)
    case ended

    /// The requests this state accepts; anything else is FAILED_SequenceError ([V2G20-459]).
    /// SessionStop is accepted from every state after SessionSetup; PowerDelivery in the phases
    /// of an energy service that can start, stop or renegotiate power.
    public var allowed: Set<MessageKind> {
        switch self {
        case .waitingForSupportedAppProtocol: return [.supportedAppProtocol]
        case .waitingForSessionSetup: return [.common(.sessionSetupReq)]
        case .waitingForAuthorizationSetup: return [.common(.authorizationSetupReq), .common(.sessionStopReq)]
        // CertificateInstallationReq only where AuthorizationSetupRes offered it ([V2G20-1970]):
        // the SECC checks that itself (`SECCCertificateInstallation`).
        case .waitingForAuthorization: return [.common(.authorizationReq), .common(.certificateInstallationReq), .common(.sessionStopReq)]
        case .waitingForServiceDiscovery: return [.common(.serviceDiscoveryReq), .common(.sessionStopReq)]
        case .waitingForServiceDetailOrSelection:
            return [.common(.serviceDetailReq), .common(.serviceSelectionReq), .common(.sessionStopReq)]
        case .waitingForScheduleExchange, .renegotiatingSchedule: return [.common(.scheduleExchangeReq), .common(.sessionStopReq)]
        case .waitingForPowerDeliveryAfterRenegotiation: return [.common(.powerDeliveryReq), .common(.sessionStopReq)]
        case .energyTransfer(let phase):
            return phase.requests.union(phase.power == .off ? [] : [.common(.powerDeliveryReq)]).union([.common(.sessionStopReq)])
        case .ended: return []
        }
    }

    /// Whether this state accepts a request of `kind`: `allowed` without building the set (the
    /// charge loop asks this every 50 ms).
    public func accepts(_ kind: MessageKind) -> Bool {
        guard case .energyTransfer(let phase) = self else { return allowed.contains(kind) }
        switch kind {
        case .common(.sessionStopReq): return true
        case .common(.powerDeliveryReq): return phase.power != .off
        default: return phase.requests.contains(kind)
        }
    }

    public var description: String {
        switch self {
        case .waitingForSupportedAppProtocol: return "waitingForSupportedAppProtocol"
        case .waitingForSessionSetup: return "waitingForSessionSetup"
        case .waitingForAuthorizationSetup: return "waitingForAuthorizationSetup"
        case .waitingForAuthorization: return "waitingForAuthorization"
        case .waitingForServiceDiscovery: return "waitingForServiceDiscovery"
        case .waitingForServiceDetailOrSelection: return "waitingForServiceDetailOrSelection"
        case .waitingForScheduleExchange: return "waitingForScheduleExchange"
        case .renegotiatingSchedule: return "renegotiatingSchedule"
        case .waitingForPowerDeliveryAfterRenegotiation: return "waitingForPowerDeliveryAfterRenegotiation"
        case .energyTransfer(let phase): return phase.name
        case .ended: return "ended"
        }
    }
}

/// A phase of an energy service's own part of the sequence, as data: its name, the service's
/// requests it accepts, and where power stands (which decides what PowerDelivery may do).
public struct EnergyTransferPhase: Sendable, Hashable, CustomStringConvertible {
    public enum Power: Sendable, Hashable {
        /// Before power: PowerDelivery is out of sequence.
        case off
        /// PowerDelivery(Start) may switch power on (DC: during pre-charge).
        case readyToStart
        /// Power is on: the charge loop; PowerDelivery(Stop) or (ScheduleRenegotiation).
        case on
        /// After PowerDelivery(Stop): only a repeat of a Stop the EV had not finished processing.
        case stopped
    }

    public let name: String
    /// The service's requests accepted in this phase (SessionStop and, by `power`, PowerDelivery come on top).
    public let requests: Set<MessageKind>
    public let power: Power

    public init(name: String, requests: Set<MessageKind>, power: Power) {
        self.name = name; self.requests = requests; self.power = power
    }

    public var description: String { name }
}
