import ISO20AC
import ISO20Common

/// The AC energy services (AC and AC_BPT) on the SECC side: AC_ChargeParameterDiscovery and
/// AC_ChargeLoop (Scheduled, Dynamic and their BPT forms), one file each. AC has no cable check,
/// pre-charge or welding detection: ScheduleExchange leads straight to PowerDelivery(Start), and
/// PowerDelivery(Stop) to SessionStop. The contactor follows the control pilot (`SECCContactor`).
public struct SECCACEnergyTransfer: SECCEnergyTransfer {
    public static let serviceIDs: Set<UInt16> = [EnergyService.acServiceID, EnergyService.acBPTServiceID]
    public static let appProtocol = V2GProtocol.iso20AC

    /// AC_BPT: discharging limits, schedules and control modes.
    public let isBPT: Bool
    /// The limits announced in AC_ChargeParameterDiscoveryRes: the loop stays within them
    /// ([V2G20-2654], [V2G20-2655] as for DC).
    public internal(set) var announcedLimits: ACLimits?
    /// The EV's limits from AC_ChargeParameterDiscoveryReq, watts over all phases: a Dynamic
    /// setpoint stays within them too.
    public internal(set) var evLimits: (maximumCharge: Double, maximumDischarge: Double)?
    /// The elements the charger writes powers in: 3 (per phase) when the EV stated its limits per
    /// phase on a three-phase connection, 1 (the total) otherwise ([V2G20-1822]).
    var elements = 1

    public init(selected: SelectedServiceType, configuration: SECCConfiguration) {
        isBPT = selected.serviceID == EnergyService.acBPTServiceID
    }

    public var firstPhase: EnergyTransferPhase { .acChargeParameterDiscovery }
    public var phaseAfterScheduleExchange: EnergyTransferPhase { .acReadyToStart }
    public var chargingPhase: EnergyTransferPhase { .acChargeLoop }
    public var phaseAfterPowerOff: EnergyTransferPhase { .acStopped }

    public var phases: [EnergyTransferPhase] { [.acChargeParameterDiscovery, .acReadyToStart, .acChargeLoop, .acStopped] }

    /// The parameters agreed lead to ScheduleExchange; the loop repeats.
    public func state(after response: V2GResponse) -> SECCState? {
        if case .ac(.ac_ChargeParameterDiscoveryRes) = response { return .waitingForScheduleExchange }
        return nil
    }

    /// The limits in force: those announced, or the charger's own before the announcement.
    func limits(_ evse: EVSEInputs) -> ACLimits { announcedLimits ?? evse.ac.limits }

    public func schedulePower(_ evse: EVSEInputs) -> (charge: Double, discharge: Double?) {
        let l = limits(evse)
        let grid = evse.ac.gridPowerLimit ?? .infinity
        return (min(l.maximumChargePower, grid), isBPT ? min(l.maximumDischargePower, grid) : nil)
    }

    public mutating func handle(_ request: V2GRequest, in phase: EnergyTransferPhase, _ x: SECCExchange) -> SECCOutcome {
        switch request {
        case .ac(.ac_ChargeParameterDiscoveryReq(let m)): return chargeParameterDiscovery(m, x)
        case .ac(.ac_ChargeLoopReq(let m)): return chargeLoop(m, x)
        default: return .fail(.failed, "\(request.name) is not handled in \(phase)")
        }
    }
}

extension EnergyTransferPhase {
    /// AC_ChargeParameterDiscoveryReq, after ServiceSelection or a resume.
    public static let acChargeParameterDiscovery = EnergyTransferPhase(
        name: "waitingForChargeParameterDiscovery", requests: [.ac(.ac_ChargeParameterDiscoveryReq)], power: .off)
    /// After ScheduleExchange: PowerDeliveryReq(Start), the EV in CP state C.
    public static let acReadyToStart = EnergyTransferPhase(name: "waitingForPowerDelivery", requests: [], power: .readyToStart)
    /// AC_ChargeLoopReq (repeated) until PowerDeliveryReq(Stop).
    public static let acChargeLoop = EnergyTransferPhase(name: "charging", requests: [.ac(.ac_ChargeLoopReq)], power: .on)
    /// After PowerDelivery(Stop): SessionStopReq (or a repeat of an Ongoing Stop).
    public static let acStopped = EnergyTransferPhase(name: "waitingForSessionStop", requests: [], power: .stopped)
}
