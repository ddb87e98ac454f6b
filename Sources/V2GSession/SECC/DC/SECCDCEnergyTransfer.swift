import ISO20Common
import ISO20DC

/// The DC energy services (DC and DC_BPT) on the SECC side: DC_ChargeParameterDiscovery,
/// DC_CableCheck, DC_PreCharge, DC_ChargeLoop (Scheduled, Dynamic and their BPT forms) and
/// DC_WeldingDetection, one file each.
public struct SECCDCEnergyTransfer: SECCEnergyTransfer {
    public static let serviceIDs: Set<UInt16> = [EnergyService.dcServiceID, EnergyService.dcBPTServiceID]
    public static let appProtocol = V2GProtocol.iso20DC

    /// DC_BPT: discharging limits, schedules and control modes.
    public let isBPT: Bool
    /// The limits announced in DC_ChargeParameterDiscoveryRes: the loop stays within them
    /// ([V2G20-2654], [V2G20-2655]).
    public internal(set) var announcedLimits: DCLimits?
    var cableCheckStarted = false

    /// The current the power module may draw while pre-charging, amperes.
    static let preChargeCurrentLimit: Double = 2
    /// An EVSE*LimitAchieved flag is set once the output reaches this fraction of the limit.
    static let limitAchievedFraction = 0.99

    public init(selected: SelectedServiceType, configuration: SECCConfiguration) {
        isBPT = selected.serviceID == EnergyService.dcBPTServiceID
    }

    public var firstPhase: EnergyTransferPhase { .dcChargeParameterDiscovery }
    public var phaseAfterScheduleExchange: EnergyTransferPhase { .dcCableCheck }
    public var chargingPhase: EnergyTransferPhase { .dcChargeLoop }
    public var phaseAfterPowerOff: EnergyTransferPhase { .dcWeldingDetection }

    public var phases: [EnergyTransferPhase] { [.dcChargeParameterDiscovery, .dcCableCheck, .dcPreCharge, .dcChargeLoop, .dcWeldingDetection] }

    /// The parameters agreed lead to ScheduleExchange; a finished cable check to pre-charge.
    public func state(after response: V2GResponse) -> SECCState? {
        switch response {
        case .dc(.dc_ChargeParameterDiscoveryRes): return .waitingForScheduleExchange
        case .dc(.dc_CableCheckRes(let r)) where r.evseProcessing == .finished: return .energyTransfer(.dcPreCharge)
        default: return nil
        }
    }

    /// The limits in force: those announced, or the module's own before the announcement.
    func limits(_ evse: EVSEInputs) -> DCLimits { announcedLimits ?? evse.dc.limits }

    public func schedulePower(_ evse: EVSEInputs) -> (charge: Double, discharge: Double?) {
        let l = limits(evse)
        return (l.maximumChargePower, isBPT ? l.maximumDischargePower : nil)
    }

    public mutating func handle(_ request: V2GRequest, in phase: EnergyTransferPhase, _ x: SECCExchange) -> SECCOutcome {
        switch request {
        case .dc(.dc_ChargeParameterDiscoveryReq(let m)): return chargeParameterDiscovery(m, x)
        case .dc(.dc_CableCheckReq): return cableCheck(x)
        case .dc(.dc_PreChargeReq(let m)): return preCharge(m, x)
        case .dc(.dc_ChargeLoopReq(let m)): return chargeLoop(m, x)
        case .dc(.dc_WeldingDetectionReq): return weldingDetection(x)
        default: return .fail(.failed, "\(request.name) is not handled in \(phase)")
        }
    }
}

extension EnergyTransferPhase {
    /// DC_ChargeParameterDiscoveryReq, after ServiceSelection or a resume.
    public static let dcChargeParameterDiscovery = EnergyTransferPhase(
        name: "waitingForChargeParameterDiscovery", requests: [.dc(.dc_ChargeParameterDiscoveryReq)], power: .off)
    /// DC_CableCheckReq, repeated while the isolation check runs.
    public static let dcCableCheck = EnergyTransferPhase(name: "waitingForCableCheck", requests: [.dc(.dc_CableCheckReq)], power: .off)
    /// DC_PreChargeReq (repeated) until PowerDeliveryReq(Start).
    public static let dcPreCharge = EnergyTransferPhase(name: "preCharging", requests: [.dc(.dc_PreChargeReq)], power: .readyToStart)
    /// DC_ChargeLoopReq (repeated) until PowerDeliveryReq(Stop).
    public static let dcChargeLoop = EnergyTransferPhase(name: "charging", requests: [.dc(.dc_ChargeLoopReq)], power: .on)
    /// DC_WeldingDetectionReq (repeated) or SessionStopReq.
    public static let dcWeldingDetection = EnergyTransferPhase(
        name: "waitingForWeldingDetection", requests: [.dc(.dc_WeldingDetectionReq)], power: .stopped)
}
