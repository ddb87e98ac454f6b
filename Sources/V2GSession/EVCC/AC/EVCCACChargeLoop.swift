import ISO20AC
import ISO20Common

extension EVCCACEnergyTransfer {
    /// AC_ChargeLoopReq in the control mode agreed. Every form carries the power the on-board
    /// charger draws now; Scheduled adds the EV's energy requests and power limits (optional
    /// there), Dynamic must state them (the charger sets the power from them), and the BPT forms
    /// add the discharge limits — and, in Dynamic, the V2X energy requests.
    public func chargeLoop(_ ev: EVInputs, _ header: MessageHeaderType) -> V2GRequest {
        let l = ev.ac.limits
        // Totals in the base elements ([V2G20-1815]): the charger then answers in totals too.
        let phases = 1
        let r: (Double) -> RationalNumberType = { RationalNumberType($0) }
        let split: (Double) -> (RationalNumberType, RationalNumberType?, RationalNumberType?) = { ACPhasePower(total: $0, phases: phases).rational }
        let energy = EnergyRequests(ev, policy: configuration.policy, bidirectional: isBidirectional)
        let present = split(ev.ac.presentActivePower)
        let reactive = split(0)
        let maxCharge = split(l.maximumChargePower), minCharge = split(l.minimumChargePower)
        let mode: AC_ChargeLoopReqType.CLReqControlMode
        switch (configuration.controlMode, isBidirectional) {
        case (.scheduled, false):
            mode = .scheduled_AC_CLReqControlMode(Scheduled_AC_CLReqControlModeType(
                evTargetEnergyRequest: r(energy.target), evMaximumEnergyRequest: r(energy.maximum), evMinimumEnergyRequest: r(energy.minimum),
                evMaximumChargePower: maxCharge.0, evMaximumChargePower_L2: maxCharge.1, evMaximumChargePower_L3: maxCharge.2,
                evMinimumChargePower: minCharge.0, evMinimumChargePower_L2: minCharge.1, evMinimumChargePower_L3: minCharge.2,
                evPresentActivePower: present.0, evPresentActivePower_L2: present.1, evPresentActivePower_L3: present.2,
                evPresentReactivePower: reactive.0, evPresentReactivePower_L2: reactive.1, evPresentReactivePower_L3: reactive.2))
        case (.scheduled, true):
            let maxDischarge = split(l.maximumDischargePower), minDischarge = split(l.minimumDischargePower)
            mode = .bpt_Scheduled_AC_CLReqControlMode(BPT_Scheduled_AC_CLReqControlModeType(
                evTargetEnergyRequest: r(energy.target), evMaximumEnergyRequest: r(energy.maximum), evMinimumEnergyRequest: r(energy.minimum),
                evMaximumChargePower: maxCharge.0, evMaximumChargePower_L2: maxCharge.1, evMaximumChargePower_L3: maxCharge.2,
                evMinimumChargePower: minCharge.0, evMinimumChargePower_L2: minCharge.1, evMinimumChargePower_L3: minCharge.2,
                evPresentActivePower: present.0, evPresentActivePower_L2: present.1, evPresentActivePower_L3: present.2,
                evPresentReactivePower: reactive.0, evPresentReactivePower_L2: reactive.1, evPresentReactivePower_L3: reactive.2,
                evMaximumDischargePower: maxDischarge.0, evMaximumDischargePower_L2: maxDischarge.1, evMaximumDischargePower_L3: maxDischarge.2,
                evMinimumDischargePower: minDischarge.0, evMinimumDischargePower_L2: minDischarge.1, evMinimumDischargePower_L3: minDischarge.2))
        case (.dynamic, false):
            mode = .dynamic_AC_CLReqControlMode(Dynamic_AC_CLReqControlModeType(
                departureTime: configuration.departureTime,
                evTargetEnergyRequest: r(energy.target), evMaximumEnergyRequest: r(energy.maximum), evMinimumEnergyRequest: r(energy.minimum),
                evMaximumChargePower: maxCharge.0, evMaximumChargePower_L2: maxCharge.1, evMaximumChargePower_L3: maxCharge.2,
                evMinimumChargePower: minCharge.0, evMinimumChargePower_L2: minCharge.1, evMinimumChargePower_L3: minCharge.2,
                evPresentActivePower: present.0, evPresentActivePower_L2: present.1, evPresentActivePower_L3: present.2,
                evPresentReactivePower: reactive.0, evPresentReactivePower_L2: reactive.1, evPresentReactivePower_L3: reactive.2))
        case (.dynamic, true):
            let maxDischarge = split(l.maximumDischargePower), minDischarge = split(l.minimumDischargePower)
            mode = .bpt_Dynamic_AC_CLReqControlMode(BPT_Dynamic_AC_CLReqControlModeType(
                departureTime: configuration.departureTime,
                evTargetEnergyRequest: r(energy.target), evMaximumEnergyRequest: r(energy.maximum), evMinimumEnergyRequest: r(energy.minimum),
                evMaximumChargePower: maxCharge.0, evMaximumChargePower_L2: maxCharge.1, evMaximumChargePower_L3: maxCharge.2,
                evMinimumChargePower: minCharge.0, evMinimumChargePower_L2: minCharge.1, evMinimumChargePower_L3: minCharge.2,
                evPresentActivePower: present.0, evPresentActivePower_L2: present.1, evPresentActivePower_L3: present.2,
                evPresentReactivePower: reactive.0, evPresentReactivePower_L2: reactive.1, evPresentReactivePower_L3: reactive.2,
                evMaximumDischargePower: maxDischarge.0, evMaximumDischargePower_L2: maxDischarge.1, evMaximumDischargePower_L3: maxDischarge.2,
                evMinimumDischargePower: minDischarge.0, evMinimumDischargePower_L2: minDischarge.1, evMinimumDischargePower_L3: minDischarge.2,
                evMaximumV2XEnergyRequest: energy.maximumV2X.map(r), evMinimumV2XEnergyRequest: energy.minimumV2X.map(r)))
        }
        return .ac(.ac_ChargeLoopReq(AC_ChargeLoopReqType(
            header: header, displayParameters: DisplayParametersType(presentSOC: ev.soc, chargingComplete: ev.chargingComplete),
            meterInfoRequested: false, clReqControlMode: mode)))
    }
}
