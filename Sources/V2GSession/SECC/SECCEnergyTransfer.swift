import ISO20Common

/// An energy service on the SECC side (DC and AC now; WPT, ACDP next): its phases and its own
/// requests. The common phases (SessionSetup … ServiceSelection, ScheduleExchange, PowerDelivery,
/// SessionStop, notifications) belong to `SECCSession`; the module takes over where the service's
/// own messages begin and hands back through the phases it names.
public protocol SECCEnergyTransfer: Sendable {
    /// The ServiceIDs this module serves (DC: 2 DC and 6 DC_BPT).
    static var serviceIDs: Set<UInt16> { get }
    /// The supportedAppProtocol namespace whose message set carries the service's messages: the
    /// SECC offers the service only in a session that agreed on it.
    static var appProtocol: V2GProtocol { get }
    /// The module for the service and parameter set the EV selected.
    init(selected: SelectedServiceType, configuration: SECCConfiguration)
    /// The phase after ServiceSelection and after a resume: the service's ChargeParameterDiscovery.
    var firstPhase: EnergyTransferPhase { get }
    /// The phase ScheduleExchange leads to (DC: the cable check).
    var phaseAfterScheduleExchange: EnergyTransferPhase { get }
    /// The phase PowerDelivery(Start) leads to: the charge loop.
    var chargingPhase: EnergyTransferPhase { get }
    /// The phase PowerDelivery(Stop) leads to (DC: welding detection).
    var phaseAfterPowerOff: EnergyTransferPhase { get }
    /// The power a Scheduled ScheduleExchangeRes offers, in watts: the charging maximum, and the
    /// discharging maximum for a bidirectional service (nil otherwise).
    func schedulePower(_ evse: EVSEInputs) -> (charge: Double, discharge: Double?)
    /// Every phase of the service, in order: where an observer that lost the thread finds its
    /// place again by the request that came (`SECCSequenceObserver`).
    var phases: [EnergyTransferPhase] { get }
    /// Where one of the module's answers takes the session (nil: the phase repeats). A pure
    /// function of the answer, so the SECC and an observer of its conversation (`v2g trace`,
    /// `SECCSequenceObserver`) follow the same sequence.
    func state(after response: V2GResponse) -> SECCState?
    /// Handles one of the service's requests in one of its phases.
    mutating func handle(_ request: V2GRequest, in phase: EnergyTransferPhase, _ exchange: SECCExchange) -> SECCOutcome
}

/// What an energy-transfer module sees of the exchange it handles.
public struct SECCExchange: Sendable {
    /// The header of the response (this session's ID, the EVSE's time).
    public let header: MessageHeaderType
    public let evse: EVSEInputs
    public let selected: SelectedServiceType
    public let configuration: SECCConfiguration
    /// The EV is in standby: the loop is its keep-alive, and the charger delivers nothing.
    public let standby: Bool
}

/// A module's answer to one of its requests.
public enum SECCOutcome: Sendable {
    /// Send `response` and give the hardware `commands` first; the phase moves on as
    /// `state(after: response)` says.
    case respond(V2GResponse, commands: [EVSECommand] = [])
    /// Answer with this FAILED code and end the session.
    case fail(ISO20Common.ResponseCodeType, String)
}

/// The energy-transfer modules the SECC knows, each serving its ServiceIDs. A new service adds
/// its module here.
enum SECCEnergyTransfers {
    static let all: [any SECCEnergyTransfer.Type] = [SECCDCEnergyTransfer.self, SECCACEnergyTransfer.self]

    /// Whether a module serves `serviceID` in a session that agreed on `appProtocol` (nil: any).
    static func serves(_ serviceID: UInt16, in appProtocol: V2GProtocol?) -> Bool {
        all.contains { module in
            module.serviceIDs.contains(serviceID) && (appProtocol.map { $0.namespace == module.appProtocol.namespace } ?? true)
        }
    }

    static func module(for selected: SelectedServiceType, configuration: SECCConfiguration) -> (any SECCEnergyTransfer)? {
        all.first { $0.serviceIDs.contains(selected.serviceID) }.map { $0.init(selected: selected, configuration: configuration) }
    }
}
