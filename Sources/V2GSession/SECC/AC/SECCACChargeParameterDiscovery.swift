import ISO20AC
import ISO20Common

extension SECCACEnergyTransfer {
    /// AC_ChargeParameterDiscovery: the charger's limits (per phase if the EV gave its own so),
    /// its nominal frequency and,
    /// where set, power asymmetry and ramp limitation, in the form (AC or BPT) the selected
    /// service asks for; the loop stays within what is announced here. A grid limit in force now
    /// lowers the announced maximum.
    mutating func chargeParameterDiscovery(_ m: AC_ChargeParameterDiscoveryReqType, _ x: SECCExchange) -> SECCOutcome {
        var l = x.evse.ac.limits
        if let grid = x.evse.ac.gridPowerLimit {
            l.maximumChargeCurrent = min(l.maximumChargeCurrent, grid / (Double(l.phases) * l.nominalVoltage))
        }
        let phases: Int
        switch m.ac_CPDReqEnergyTransferMode {
        case .ac_CPDReqEnergyTransferMode(let ev): phases = ev.evMaximumChargePower_L2 != nil || ev.evMaximumChargePower_L3 != nil ? l.phases : 1
        case .bpt_AC_CPDReqEnergyTransferMode(let ev): phases = ev.evMaximumChargePower_L2 != nil || ev.evMaximumChargePower_L3 != nil ? l.phases : 1
        }
        let maxCharge = ACPhasePower(total: l.maximumChargePower, phases: phases).rational
        let minCharge = ACPhasePower(total: l.minimumChargePower, phases: phases).rational
        let present = ACPhasePower(total: x.evse.ac.presentActivePower.total, phases: phases).rational
        let frequency = RationalNumberType(l.nominalFrequency)
        let asymmetry = l.maximumPowerAsymmetry.map { RationalNumberType($0) }
        let ramp = l.powerRampLimitation.map { RationalNumberType($0) }
        let mode: AC_ChargeParameterDiscoveryResType.AC_CPDResEnergyTransferMode
        switch (m.ac_CPDReqEnergyTransferMode, isBPT) {
        case (.bpt_AC_CPDReqEnergyTransferMode(let ev), true):
            let maxDischarge = ACPhasePower(total: l.maximumDischargePower, phases: phases).rational
            let minDischarge = ACPhasePower(total: l.minimumDischargePower, phases: phases).rational
            evLimits = (ACPhasePower(ev.evMaximumChargePower, ev.evMaximumChargePower_L2, ev.evMaximumChargePower_L3).total,
                        ACPhasePower(ev.evMaximumDischargePower, ev.evMaximumDischargePower_L2, ev.evMaximumDischargePower_L3).total)
            mode = .bpt_AC_CPDResEnergyTransferMode(BPT_AC_CPDResEnergyTransferModeType(
                evseMaximumChargePower: maxCharge.0, evseMaximumChargePower_L2: maxCharge.1, evseMaximumChargePower_L3: maxCharge.2,
                evseMinimumChargePower: minCharge.0, evseMinimumChargePower_L2: minCharge.1, evseMinimumChargePower_L3: minCharge.2,
                evseNominalFrequency: frequency, maximumPowerAsymmetry: asymmetry, evsePowerRampLimitation: ramp,
                evsePresentActivePower: present.0, evsePresentActivePower_L2: present.1, evsePresentActivePower_L3: present.2,
                evseMaximumDischargePower: maxDischarge.0, evseMaximumDischargePower_L2: maxDischarge.1,
                evseMaximumDischargePower_L3: maxDischarge.2, evseMinimumDischargePower: minDischarge.0,
                evseMinimumDischargePower_L2: minDischarge.1, evseMinimumDischargePower_L3: minDischarge.2))
        case (.ac_CPDReqEnergyTransferMode(let ev), false):
            evLimits = (ACPhasePower(ev.evMaximumChargePower, ev.evMaximumChargePower_L2, ev.evMaximumChargePower_L3).total, 0)
            mode = .ac_CPDResEnergyTransferMode(AC_CPDResEnergyTransferModeType(
                evseMaximumChargePower: maxCharge.0, evseMaximumChargePower_L2: maxCharge.1, evseMaximumChargePower_L3: maxCharge.2,
                evseMinimumChargePower: minCharge.0, evseMinimumChargePower_L2: minCharge.1, evseMinimumChargePower_L3: minCharge.2,
                evseNominalFrequency: frequency, maximumPowerAsymmetry: asymmetry, evsePowerRampLimitation: ramp,
                evsePresentActivePower: present.0, evsePresentActivePower_L2: present.1, evsePresentActivePower_L3: present.2))
        default:
            return .fail(.failed_WrongChargeParameter, "charge parameters do not fit the selected service \(x.selected.serviceID)")
        }
        announcedLimits = l
        elements = phases
        return .respond(.ac(.ac_ChargeParameterDiscoveryRes(AC_ChargeParameterDiscoveryResType(
            header: x.header, responseCode: .ok, ac_CPDResEnergyTransferMode: mode))))
    }
}
