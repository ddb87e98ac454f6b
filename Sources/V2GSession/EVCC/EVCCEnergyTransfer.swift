import ISO20Common

/// An energy service on the EVCC side (DC and AC now; WPT, ACDP next): the requests of its own
/// phases. The common phases are `EVCCSession`'s; the module builds the service's requests and
/// reads their answers, and hands back with an `EVCCStep`.
public protocol EVCCEnergyTransfer: Sendable {
    /// The ServiceIDs this module serves (DC: 2 DC and 6 DC_BPT).
    static var serviceIDs: Set<UInt16> { get }
    /// The supportedAppProtocol namespace whose message set carries the service's messages.
    static var appProtocol: V2GProtocol { get }
    /// The service's charge loop request.
    static var chargeLoopRequest: MessageKind { get }
    init(selected: SelectedServiceType, configuration: EVCCConfiguration)
    /// Bidirectional: PowerDelivery(Start) names the BPT channel.
    var isBidirectional: Bool { get }
    /// Whether the agreed schedule lets the EV discharge: in Scheduled control only a schedule
    /// tuple with a DischargingSchedule does; the module keeps the EV's targets and power profile
    /// at or above zero otherwise. Set by the session after each ScheduleExchange.
    var dischargeAllowed: Bool { get set }
    /// The service's ChargeParameterDiscoveryReq, after ServiceSelection or a resume.
    func chargeParameterDiscovery(_ ev: EVInputs, _ header: MessageHeaderType) -> V2GRequest
    /// What follows ScheduleExchange (DC: the cable check).
    func afterScheduleExchange(_ ev: EVInputs, _ header: MessageHeaderType) -> EVCCStep
    /// The next charge loop request.
    func chargeLoop(_ ev: EVInputs, _ header: MessageHeaderType) -> V2GRequest
    /// What follows PowerDelivery(Stop) (DC: welding detection).
    func afterPowerOff(_ ev: EVInputs, _ header: MessageHeaderType) -> EVCCStep
    /// The power the EV plans (watts; negative discharges), for its power profile.
    func plannedPower(_ ev: EVInputs) -> Double
    /// The answer to one of the service's requests.
    mutating func handle(_ response: V2GResponse, _ ev: EVInputs, _ header: MessageHeaderType) -> EVCCStep
    /// When the EV switches the control pilot to C (ready for power) around `request`: DC before
    /// DC_CableCheckReq ([V2G20-912]), AC right after PowerDeliveryReq(Start) ([V2G20-847]); nil
    /// for any other request. It goes back to B after PowerDeliveryRes(Stop) in both.
    func switchesToStateC(_ request: V2GRequest) -> PilotSwitch?
    /// The overall limit of one of the service's repeating phases (DC: cable check 40 s, pre-charge 10 s).
    func phaseLimit(_ request: MessageKind) -> Duration?
}

/// Whether the pilot switches before or after a request is sent.
public enum PilotSwitch: Sendable, Hashable {
    case beforeSending
    case afterSending
}

/// Where an energy-transfer module hands the session next.
public enum EVCCStep: Sendable, Hashable {
    /// Send this request of the service (a repeat is paced).
    case send(V2GRequest)
    /// The service's charge parameters are agreed: ScheduleExchange.
    case scheduleExchange
    /// Ready for power: PowerDelivery(Start).
    case powerDeliveryStart
    /// The charge loop was answered: the charger's notification, and what the EV's power path
    /// learns; the session decides whether to go on, stop, pause or renegotiate.
    /// With the MeterInfo the charger sent (the EV signs it when asked for MeteringConfirmation).
    case chargeLoopAnswered(EVSEStatusType?, meterInfo: MeterInfoType?, commands: [EVCommand])
    /// The service's part after power is done (DC: welding detection): SessionStop.
    case sessionStop
}

/// The energy-transfer modules the EVCC knows. A new service adds its module here.
enum EVCCEnergyTransfers {
    static let all: [any EVCCEnergyTransfer.Type] = [EVCCDCEnergyTransfer.self, EVCCACEnergyTransfer.self]

    /// The protocol to offer for `serviceID` (DC when no module serves it).
    static func appProtocol(for serviceID: UInt16) -> V2GProtocol {
        all.first { $0.serviceIDs.contains(serviceID) }?.appProtocol ?? .iso20DC
    }

    static func module(for selected: SelectedServiceType, configuration: EVCCConfiguration) -> (any EVCCEnergyTransfer)? {
        all.first { $0.serviceIDs.contains(selected.serviceID) }.map { $0.init(selected: selected, configuration: configuration) }
    }
}
