import ISO20Common
import ISO20DC

extension SECCDCEnergyTransfer {
    /// DC_ChargeLoop in the control mode the selected service and ScheduleExchange agreed
    /// ([V2G20-1600]). Scheduled: the EV's target; Dynamic: the EVSE's setpoint. Either way within
    /// what ChargeParameterDiscovery announced ([V2G20-2188]).
    func chargeLoop(_ m: DC_ChargeLoopReqType, _ x: SECCExchange) -> SECCOutcome {
        let evse = x.evse
        let l = limits(evse)
        let r: (Double) -> RationalNumberType = { RationalNumberType($0) }
        let control: DC_ChargeLoopResType.CLResControlMode
        let target: (voltage: Double, current: Double)
        switch m.clReqControlMode {
        case .scheduled_DC_CLReqControlMode(let q) where !isBPT:
            target = (q.evTargetVoltage.doubleValue, q.evTargetCurrent.doubleValue)
            control = .scheduled_DC_CLResControlMode(Scheduled_DC_CLResControlModeType(
                evseMaximumChargePower: r(l.maximumChargePower), evseMaximumChargeCurrent: r(l.maximumChargeCurrent), evseMaximumVoltage: r(l.maximumVoltage)))
        case .bpt_Scheduled_DC_CLReqControlMode(let q) where isBPT:
            target = (q.evTargetVoltage.doubleValue, q.evTargetCurrent.doubleValue)
            control = .bpt_Scheduled_DC_CLResControlMode(BPT_Scheduled_DC_CLResControlModeType(
                evseMaximumChargePower: r(l.maximumChargePower), evseMaximumChargeCurrent: r(l.maximumChargeCurrent),
                evseMaximumVoltage: r(l.maximumVoltage), evseMaximumDischargePower: r(l.maximumDischargePower),
                evseMaximumDischargeCurrent: r(l.maximumDischargeCurrent), evseMinimumVoltage: r(l.minimumVoltage)))
        case .dynamic_DC_CLReqControlMode(let q) where !isBPT:
            target = dynamicTarget(m, evMaxChargeCurrent: q.evMaximumChargeCurrent.doubleValue, evMaxDischargeCurrent: 0, evse.dc, l)
            control = .dynamic_DC_CLResControlMode(Dynamic_DC_CLResControlModeType(
                evseMaximumChargePower: r(l.maximumChargePower), evseMinimumChargePower: r(l.minimumChargePower),
                evseMaximumChargeCurrent: r(l.maximumChargeCurrent), evseMaximumVoltage: r(l.maximumVoltage)))
        case .bpt_Dynamic_DC_CLReqControlMode(let q) where isBPT:
            target = dynamicTarget(m, evMaxChargeCurrent: q.evMaximumChargeCurrent.doubleValue,
                                   evMaxDischargeCurrent: q.evMaximumDischargeCurrent.doubleValue, evse.dc, l)
            control = .bpt_Dynamic_DC_CLResControlMode(BPT_Dynamic_DC_CLResControlModeType(
                evseMaximumChargePower: r(l.maximumChargePower), evseMinimumChargePower: r(l.minimumChargePower),
                evseMaximumChargeCurrent: r(l.maximumChargeCurrent), evseMaximumVoltage: r(l.maximumVoltage),
                evseMaximumDischargePower: r(l.maximumDischargePower), evseMinimumDischargePower: r(l.minimumDischargePower),
                evseMaximumDischargeCurrent: r(l.maximumDischargeCurrent), evseMinimumVoltage: r(l.minimumVoltage)))
        default:
            return .fail(.failed_WrongChargeParameter, "control mode does not match the selected service")
        }
        // In standby nothing flows whatever the request says ([V2G20-2116], [V2G20-2118]).
        let current = x.standby ? 0 : max(-l.maximumDischargeCurrent, min(target.current, l.maximumChargeCurrent))
        let command = DCCommand.target(voltage: min(target.voltage, l.maximumVoltage), current: current)
        let power = evse.dc.presentVoltage * evse.dc.presentCurrent
        let reached = Self.limitAchievedFraction
        // MeterInfo when asked for, and with the MeteringConfirmation notification ([V2G20-1083]).
        let meter = m.meterInfoRequested || evse.notification == .meteringConfirmation
            ? MeterInfoType(meterID: evse.meterID, chargedEnergyReadingWh: evse.meterReadingWh) : nil
        return .respond(.dc(.dc_ChargeLoopRes(DC_ChargeLoopResType(
            header: x.header, responseCode: .ok, evseStatus: evse.evseStatus, meterInfo: meter,
            evsePresentCurrent: r(evse.dc.presentCurrent), evsePresentVoltage: r(evse.dc.presentVoltage),
            evsePowerLimitAchieved: power >= l.maximumChargePower * reached,
            evseCurrentLimitAchieved: evse.dc.presentCurrent >= l.maximumChargeCurrent * reached,
            evseVoltageLimitAchieved: evse.dc.presentVoltage >= l.maximumVoltage * reached,
            clResControlMode: control))), commands: [.dc(command)])
    }

    /// Dynamic control: the EVSE sets the power. The setpoint (or the maximum) becomes a current at
    /// the EV's present voltage, within both sides' current limits.
    func dynamicTarget(_ m: DC_ChargeLoopReqType, evMaxChargeCurrent: Double, evMaxDischargeCurrent: Double,
                       _ evse: DCEVSEInputs, _ l: DCLimits) -> (voltage: Double, current: Double) {
        let voltage = max(m.evPresentVoltage.doubleValue, 1)
        let power = evse.dynamicPowerSetpoint ?? l.maximumChargePower
        var current = power / voltage
        current = min(current, evMaxChargeCurrent, l.maximumChargeCurrent)
        current = max(current, -min(evMaxDischargeCurrent, l.maximumDischargeCurrent))
        return (voltage, current)
    }
}
