import ISO20Common
import ISO20DC

extension EVCCDCEnergyTransfer {
    /// DC_ChargeParameterDiscoveryReq: the EV's limits, with the discharging ones for DC_BPT.
    public func chargeParameterDiscovery(_ ev: EVInputs, _ header: MessageHeaderType) -> V2GRequest {
        let l = ev.dc.limits
        let r: (Double) -> RationalNumberType = { RationalNumberType($0) }
        if isBidirectional {
            return .dc(.dc_ChargeParameterDiscoveryReq(DC_ChargeParameterDiscoveryReqType(header: header, dc_CPDReqEnergyTransferMode:
                .bpt_DC_CPDReqEnergyTransferMode(BPT_DC_CPDReqEnergyTransferModeType(
                    evMaximumChargePower: r(l.maximumChargePower), evMinimumChargePower: r(l.minimumChargePower),
                    evMaximumChargeCurrent: r(l.maximumChargeCurrent), evMinimumChargeCurrent: r(l.minimumChargeCurrent),
                    evMaximumVoltage: r(l.maximumVoltage), evMinimumVoltage: r(l.minimumVoltage),
                    evMaximumDischargePower: r(l.maximumDischargePower), evMinimumDischargePower: r(l.minimumDischargePower),
                    evMaximumDischargeCurrent: r(l.maximumDischargeCurrent), evMinimumDischargeCurrent: r(l.minimumDischargeCurrent))))))
        }
        return .dc(.dc_ChargeParameterDiscoveryReq(DC_ChargeParameterDiscoveryReqType(header: header, dc_CPDReqEnergyTransferMode:
            .dc_CPDReqEnergyTransferMode(DC_CPDReqEnergyTransferModeType(
                evMaximumChargePower: r(l.maximumChargePower), evMinimumChargePower: r(l.minimumChargePower),
                evMaximumChargeCurrent: r(l.maximumChargeCurrent), evMinimumChargeCurrent: r(l.minimumChargeCurrent),
                evMaximumVoltage: r(l.maximumVoltage), evMinimumVoltage: r(l.minimumVoltage))))))
    }
}
