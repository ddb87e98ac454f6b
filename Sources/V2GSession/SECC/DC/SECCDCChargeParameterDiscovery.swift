import ISO20Common
import ISO20DC

extension SECCDCEnergyTransfer {
    /// DC_ChargeParameterDiscovery: the power module's limits, in the form (DC or BPT) the selected
    /// service asks for; the loop stays within what is announced here.
    mutating func chargeParameterDiscovery(_ m: DC_ChargeParameterDiscoveryReqType, _ x: SECCExchange) -> SECCOutcome {
        let l = x.evse.dc.limits
        let r: (Double) -> RationalNumberType = { RationalNumberType($0) }
        let mode: DC_ChargeParameterDiscoveryResType.DC_CPDResEnergyTransferMode
        switch (m.dc_CPDReqEnergyTransferMode, isBPT) {
        case (.bpt_DC_CPDReqEnergyTransferMode, true):
            mode = .bpt_DC_CPDResEnergyTransferMode(BPT_DC_CPDResEnergyTransferModeType(
                evseMaximumChargePower: r(l.maximumChargePower), evseMinimumChargePower: r(l.minimumChargePower),
                evseMaximumChargeCurrent: r(l.maximumChargeCurrent), evseMinimumChargeCurrent: r(l.minimumChargeCurrent),
                evseMaximumVoltage: r(l.maximumVoltage), evseMinimumVoltage: r(l.minimumVoltage),
                evseMaximumDischargePower: r(l.maximumDischargePower), evseMinimumDischargePower: r(l.minimumDischargePower),
                evseMaximumDischargeCurrent: r(l.maximumDischargeCurrent), evseMinimumDischargeCurrent: r(l.minimumDischargeCurrent)))
        case (.dc_CPDReqEnergyTransferMode, false):
            mode = .dc_CPDResEnergyTransferMode(DC_CPDResEnergyTransferModeType(
                evseMaximumChargePower: r(l.maximumChargePower), evseMinimumChargePower: r(l.minimumChargePower),
                evseMaximumChargeCurrent: r(l.maximumChargeCurrent), evseMinimumChargeCurrent: r(l.minimumChargeCurrent),
                evseMaximumVoltage: r(l.maximumVoltage), evseMinimumVoltage: r(l.minimumVoltage)))
        default:
            return .fail(.failed_WrongChargeParameter, "charge parameters do not fit the selected service \(x.selected.serviceID)")
        }
        announcedLimits = l
        return .respond(.dc(.dc_ChargeParameterDiscoveryRes(DC_ChargeParameterDiscoveryResType(
            header: x.header, responseCode: .ok, dc_CPDResEnergyTransferMode: mode))))
    }
}
