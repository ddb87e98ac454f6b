import ISO20Common
import ISO20DC

extension EVCCDCEnergyTransfer {
    /// DC_ChargeLoopReq in the control mode agreed: Scheduled sends the EV's target; Dynamic its
    /// energy request and limits (the EVSE sets the power). DC_BPT uses the BPT forms.
    public func chargeLoop(_ ev: EVInputs, _ header: MessageHeaderType) -> V2GRequest {
        let l = ev.dc.limits
        let r: (Double) -> RationalNumberType = { RationalNumberType($0) }
        let maximumEnergy = r(ev.energyRequest * policy.maximumEnergyRequestFactor)
        // The EV's target stays within what the charger announced.
        let target = self.target(ev)
        let mode: DC_ChargeLoopReqType.CLReqControlMode
        switch (controlMode, isBidirectional) {
        case (.scheduled, false):
            mode = .scheduled_DC_CLReqControlMode(Scheduled_DC_CLReqControlModeType(
                evTargetCurrent: r(target.current), evTargetVoltage: r(target.voltage)))
        case (.scheduled, true):
            mode = .bpt_Scheduled_DC_CLReqControlMode(BPT_Scheduled_DC_CLReqControlModeType(
                evTargetCurrent: r(target.current), evTargetVoltage: r(target.voltage)))
        case (.dynamic, false):
            mode = .dynamic_DC_CLReqControlMode(Dynamic_DC_CLReqControlModeType(
                departureTime: departureTime, evTargetEnergyRequest: r(ev.energyRequest), evMaximumEnergyRequest: maximumEnergy,
                evMinimumEnergyRequest: r(0), evMaximumChargePower: r(l.maximumChargePower), evMinimumChargePower: r(l.minimumChargePower),
                evMaximumChargeCurrent: r(l.maximumChargeCurrent), evMaximumVoltage: r(l.maximumVoltage), evMinimumVoltage: r(l.minimumVoltage)))
        case (.dynamic, true):
            mode = .bpt_Dynamic_DC_CLReqControlMode(BPT_Dynamic_DC_CLReqControlModeType(
                departureTime: departureTime, evTargetEnergyRequest: r(ev.energyRequest), evMaximumEnergyRequest: maximumEnergy,
                evMinimumEnergyRequest: r(0), evMaximumChargePower: r(l.maximumChargePower), evMinimumChargePower: r(l.minimumChargePower),
                evMaximumChargeCurrent: r(l.maximumChargeCurrent), evMaximumVoltage: r(l.maximumVoltage), evMinimumVoltage: r(l.minimumVoltage),
                evMaximumDischargePower: r(l.maximumDischargePower), evMinimumDischargePower: r(l.minimumDischargePower),
                evMaximumDischargeCurrent: r(l.maximumDischargeCurrent)))
        }
        return .dc(.dc_ChargeLoopReq(DC_ChargeLoopReqType(
            header: header, displayParameters: DisplayParametersType(presentSOC: ev.soc, chargingComplete: ev.chargingComplete),
            meterInfoRequested: false, evPresentVoltage: r(ev.dc.presentVoltage), clReqControlMode: mode)))
    }
}
