import ISO20AC
import ISO20Common
import ISO20DC
import V2GSession

/// The limits in the charge loop, against what each side announced in ChargeParameterDiscovery:
/// - the EVSE's present DC voltage and current, and its AC target power, within the maxima it
///   announced ([V2G20-2188]; AC [V2G20-2654]/[V2G20-2655]);
/// - the EV's DC targets (pre-charge and the Scheduled loop) within the maxima it announced itself,
///   and, as a warning, within the EVSE's (the charger limits what it delivers, but the EV asked
///   for more than it was told it could have);
/// - the EV's present AC power within the EVSE's announced maximum, as a warning.
/// A tolerance of 1 % absorbs rational-number rounding.
struct TraceLimits: Sendable {
    var evseDC: (voltage: Double, current: Double)?
    var evDC: (voltage: Double, current: Double)?
    var evseACPower: Double?

    static let tolerance = 1.01

    /// One limit overrun: `id` names the check, so repeats of it are counted, not listed.
    struct Check {
        var id: String
        var severity: TraceFinding.Severity
        var requirement: String
        var text: String
    }

    mutating func request(_ m: V2GRequest) -> [Check] {
        var found: [Check] = []
        switch m {
        case .dc(.dc_ChargeParameterDiscoveryReq(let r)):
            switch r.dc_CPDReqEnergyTransferMode {
            case .dc_CPDReqEnergyTransferMode(let l): evDC = (l.evMaximumVoltage.doubleValue, l.evMaximumChargeCurrent.doubleValue)
            case .bpt_DC_CPDReqEnergyTransferMode(let l): evDC = (l.evMaximumVoltage.doubleValue, l.evMaximumChargeCurrent.doubleValue)
            }
        case .dc(.dc_PreChargeReq(let r)):
            found += evTargets(voltage: r.evTargetVoltage.doubleValue, current: nil, "DC_PreChargeReq")
        case .dc(.dc_ChargeLoopReq(let r)):
            switch r.clReqControlMode {
            case .scheduled_DC_CLReqControlMode(let q): found += evTargets(voltage: q.evTargetVoltage.doubleValue, current: q.evTargetCurrent.doubleValue, "DC_ChargeLoopReq")
            case .bpt_Scheduled_DC_CLReqControlMode(let q): found += evTargets(voltage: q.evTargetVoltage.doubleValue, current: q.evTargetCurrent.doubleValue, "DC_ChargeLoopReq")
            default: break  // Dynamic: the EVSE sets the current
            }
        case .ac(.ac_ChargeLoopReq(let r)):
            if let present = r.clReqControlMode.evPresentActivePower?.total, let max = evseACPower, present > max * Self.tolerance {
                found.append(Check(id: "evPresentACPower", severity: .warning, requirement: "[V2G20-2654]", text: "EVPresentActivePower \(present.formatted6) W above the \(max.formatted6) W the EVSE announced in AC_ChargeParameterDiscoveryRes"))
            }
        default:
            break
        }
        return found
    }

    private func evTargets(voltage: Double, current: Double?, _ message: String) -> [Check] {
        var found: [Check] = []
        if let ev = evDC {
            if voltage > ev.voltage * Self.tolerance {
                found.append(Check(id: "evTargetVoltageEV", severity: .violation, requirement: "[V2G20-2188]", text: "EVTargetVoltage \(voltage) V above the EV's own EVMaximumVoltage \(ev.voltage) V (DC_ChargeParameterDiscoveryReq)"))
            }
            if let current, current > ev.current * Self.tolerance {
                found.append(Check(id: "evTargetCurrentEV", severity: .violation, requirement: "[V2G20-2188]", text: "EVTargetCurrent \(current) A above the EV's own EVMaximumChargeCurrent \(ev.current) A (DC_ChargeParameterDiscoveryReq)"))
            }
        }
        if let evse = evseDC {
            if voltage > evse.voltage * Self.tolerance {
                found.append(Check(id: "evTargetVoltageEVSE", severity: .warning, requirement: "[V2G20-2188]", text: "\(message) asks for \(voltage) V, above the \(evse.voltage) V the EVSE announced"))
            }
            if let current, current > evse.current * Self.tolerance {
                found.append(Check(id: "evTargetCurrentEVSE", severity: .warning, requirement: "[V2G20-2188]", text: "\(message) asks for \(current) A, above the \(evse.current) A the EVSE announced"))
            }
        }
        return found
    }

    mutating func response(_ m: V2GResponse) -> [Check] {
        var found: [Check] = []
        switch m {
        case .dc(.dc_ChargeParameterDiscoveryRes(let r)):
            switch r.dc_CPDResEnergyTransferMode {
            case .dc_CPDResEnergyTransferMode(let l): evseDC = (l.evseMaximumVoltage.doubleValue, l.evseMaximumChargeCurrent.doubleValue)
            case .bpt_DC_CPDResEnergyTransferMode(let l): evseDC = (l.evseMaximumVoltage.doubleValue, l.evseMaximumChargeCurrent.doubleValue)
            }
        case .dc(.dc_ChargeLoopRes(let r)):
            guard let limits = evseDC else { return found }
            let v = r.evsePresentVoltage.doubleValue, i = r.evsePresentCurrent.doubleValue
            if v > limits.voltage * Self.tolerance {
                found.append(Check(id: "evsePresentVoltage", severity: .violation, requirement: "[V2G20-2188]", text: "EVSEPresentVoltage \(v) V above the \(limits.voltage) V announced in DC_ChargeParameterDiscoveryRes"))
            }
            if i > limits.current * Self.tolerance {
                found.append(Check(id: "evsePresentCurrent", severity: .violation, requirement: "[V2G20-2188]", text: "EVSEPresentCurrent \(i) A above the \(limits.current) A announced in DC_ChargeParameterDiscoveryRes"))
            }
        case .ac(.ac_ChargeParameterDiscoveryRes(let r)):
            switch r.ac_CPDResEnergyTransferMode {
            case .ac_CPDResEnergyTransferMode(let l):
                evseACPower = ACPhasePower(l.evseMaximumChargePower, l.evseMaximumChargePower_L2, l.evseMaximumChargePower_L3).total
            case .bpt_AC_CPDResEnergyTransferMode(let l):
                evseACPower = ACPhasePower(l.evseMaximumChargePower, l.evseMaximumChargePower_L2, l.evseMaximumChargePower_L3).total
            }
        case .ac(.ac_ChargeLoopRes(let r)):
            if let target = r.clResControlMode.evseTargetActivePower, let max = evseACPower, target > max * Self.tolerance {
                found.append(Check(id: "evseTargetACPower", severity: .violation, requirement: "[V2G20-2654]/[V2G20-2655]", text: "EVSETargetActivePower \(target.formatted6) W above the \(max.formatted6) W announced in AC_ChargeParameterDiscoveryRes"))
            }
        default:
            break
        }
        return found
    }
}
