import ISO20AC
import ISO20Common

extension EVCCACEnergyTransfer {
    /// AC_ChargeParameterDiscoveryReq: the on-board charger's limits per phase, with the
    /// discharging ones for AC_BPT.
    public func chargeParameterDiscovery(_ ev: EVInputs, _ header: MessageHeaderType) -> V2GRequest {
        let l = ev.ac.limits
        // Totals in the base elements ([V2G20-1815]): the charger then answers in totals too.
        let phases = 1
        let maxCharge = ACPhasePower(total: l.maximumChargePower, phases: phases).rational
        let minCharge = ACPhasePower(total: l.minimumChargePower, phases: phases).rational
        let mode: AC_ChargeParameterDiscoveryReqType.AC_CPDReqEnergyTransferMode
        if isBidirectional {
            let maxDischarge = ACPhasePower(total: l.maximumDischargePower, phases: phases).rational
            let minDischarge = ACPhasePower(total: l.minimumDischargePower, phases: phases).rational
            mode = .bpt_AC_CPDReqEnergyTransferMode(BPT_AC_CPDReqEnergyTransferModeType(
                evMaximumChargePower: maxCharge.0, evMaximumChargePower_L2: maxCharge.1, evMaximumChargePower_L3: maxCharge.2,
                evMinimumChargePower: minCharge.0, evMinimumChargePower_L2: minCharge.1, evMinimumChargePower_L3: minCharge.2,
                evMaximumDischargePower: maxDischarge.0, evMaximumDischargePower_L2: maxDischarge.1, evMaximumDischargePower_L3: maxDischarge.2,
                evMinimumDischargePower: minDischarge.0, evMinimumDischargePower_L2: minDischarge.1, evMinimumDischargePower_L3: minDischarge.2))
        } else {
            mode = .ac_CPDReqEnergyTransferMode(AC_CPDReqEnergyTransferModeType(
                evMaximumChargePower: maxCharge.0, evMaximumChargePower_L2: maxCharge.1, evMaximumChargePower_L3: maxCharge.2,
                evMinimumChargePower: minCharge.0, evMinimumChargePower_L2: minCharge.1, evMinimumChargePower_L3: minCharge.2))
        }
        return .ac(.ac_ChargeParameterDiscoveryReq(AC_ChargeParameterDiscoveryReqType(header: header, ac_CPDReqEnergyTransferMode: mode)))
    }
}
