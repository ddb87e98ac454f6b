import ISO20Common
import ISO20DC

extension EVCCDCEnergyTransfer {
    /// DC_ChargeLoopReq in the control mode agreed: Scheduled sends the EV's target; Dynamic its
    /// energy requests and limits (the EVSE sets the power). DC_BPT uses the BPT forms, with the
    /// EV's V2X window when it lends one.
    public func chargeLoop(_ ev: EVInputs, _ header: MessageHeaderType) -> V2GRequest {
        let l = ev.dc.limits
        let r: (Double) -> RationalNumberType = { RationalNumberType($0) }
        let energy = EnergyRequests(ev, policy: configuration.policy, bidirectional: isBidirectional)
        // The EV's target stays within what the charger announced.
        let target = self.target(ev)
        let mode: DC_ChargeLoopReqType.CLReqControlMode
        switch (configuration.controlMode, isBidirectional) {
        case (.scheduled, false):
            mode = .scheduled_DC_CLReqControlMode(Scheduled_DC_CLReqControlModeType(
                evTargetCurrent: r(target.current), evTargetVoltage: r(target.voltage)))
        case (.scheduled, true):
            mode = .bpt_Scheduled_DC_CLReqControlMode(BPT_Scheduled_DC_CLReqControlModeType(
                evTargetCurrent: r(target.current), evTargetVoltage: r(target.voltage)))
        case (.dynamic, false):
            mode = .dynamic_DC_CLReqControlMode(Dynamic_DC_CLReqControlModeType(
                departureTime: configuration.departureTime, evTargetEnergyRequest: r(energy.target), evMaximumEnergyRequest: r(energy.maximum),
                evMinimumEnergyRequest: r(energy.minimum), evMaximumChargePower: r(l.maximumChargePower), evMinimumChargePower: r(l.minimumChargePower),
                evMaximumChargeCurrent: r(l.maximumChargeCurrent), evMaximumVoltage: r(l.maximumVoltage), evMinimumVoltage: r(l.minimumVoltage)))
        case (.dynamic, true):
            mode = .bpt_Dynamic_DC_CLReqControlMode(BPT_Dynamic_DC_CLReqControlModeType(
                departureTime: configuration.departureTime, evTargetEnergyRequest: r(energy.target), evMaximumEnergyRequest: r(energy.maximum),
                evMinimumEnergyRequest: r(energy.minimum), evMaximumChargePower: r(l.maximumChargePower), evMinimumChargePower: r(l.minimumChargePower),
                evMaximumChargeCurrent: r(l.maximumChargeCurrent), evMaximumVoltage: r(l.maximumVoltage), evMinimumVoltage: r(l.minimumVoltage),
                evMaximumDischargePower: r(l.maximumDischargePower), evMinimumDischargePower: r(l.minimumDischargePower),
                evMaximumDischargeCurrent: r(l.maximumDischargeCurrent),
                evMaximumV2XEnergyRequest: energy.maximumV2X.map(r), evMinimumV2XEnergyRequest: energy.minimumV2X.map(r)))
        }
        return .dc(.dc_ChargeLoopReq(DC_ChargeLoopReqType(
            header: header, displayParameters: DisplayParametersType(presentSOC: ev.soc, chargingComplete: ev.chargingComplete),
            meterInfoRequested: false, evPresentVoltage: r(ev.dc.presentVoltage), clReqControlMode: mode)))
    }
}
