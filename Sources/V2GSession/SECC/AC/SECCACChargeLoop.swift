import ISO20AC
import ISO20Common

extension SECCACEnergyTransfer {
    /// AC_ChargeLoop in the control mode the selected parameter set and ScheduleExchange agreed,
    /// answered in kind ([V2G20-1600]). In AC the EV's on-board charger draws the power; the
    /// charger states what it allows:
    /// - Dynamic: EVSETargetActivePower, the power the EV is to draw (negative: feed back, AC_BPT),
    ///   from the charger's setpoint within the announced limits, the grid limit in force and the
    ///   EV's own limits of this request.
    /// - Scheduled: the EV follows its schedule; EVSETargetActivePower is sent only while the grid
    ///   limits the charger below what it announced, as the cap the EV must follow in its next loop.
    /// Either way within what ChargeParameterDiscovery announced ([V2G20-2654], [V2G20-2655]).
    func chargeLoop(_ m: AC_ChargeLoopReqType, _ x: SECCExchange) -> SECCOutcome {
        let evse = x.evse.ac
        let l = limits(x.evse)
        let grid = evse.gridPowerLimit ?? .infinity
        let chargeCap = min(l.maximumChargePower, grid)
        let dischargeCap = isBPT ? min(l.maximumDischargePower, grid) : 0
        let phases = elements
        let present = ACPhasePower(total: evse.presentActivePower.total, phases: phases).rational
        // In standby nothing flows: the EV is told zero ([V2G20-2116], [V2G20-2118]).
        let capped: Double? = x.standby ? 0 : grid < l.maximumChargePower ? chargeCap : nil
        func dynamic(evMaximumCharge: Double, evMaximumDischarge: Double) -> Double {
            if x.standby { return 0 }
            let setpoint = evse.dynamicPowerSetpoint ?? chargeCap
            return max(-min(dischargeCap, evMaximumDischarge), min(setpoint, chargeCap, evMaximumCharge))
        }
        let target: Double?
        let control: AC_ChargeLoopResType.CLResControlMode
        switch m.clReqControlMode {
        case .scheduled_AC_CLReqControlMode where !isBPT:
            target = capped
            let t = target.map { ACPhasePower(total: $0, phases: phases).rational }
            control = .scheduled_AC_CLResControlMode(Scheduled_AC_CLResControlModeType(
                evseTargetActivePower: t?.0, evseTargetActivePower_L2: t?.1, evseTargetActivePower_L3: t?.2,
                evsePresentActivePower: present.0, evsePresentActivePower_L2: present.1, evsePresentActivePower_L3: present.2))
        case .bpt_Scheduled_AC_CLReqControlMode where isBPT:
            target = capped
            let t = target.map { ACPhasePower(total: $0, phases: phases).rational }
            control = .bpt_Scheduled_AC_CLResControlMode(BPT_Scheduled_AC_CLResControlModeType(
                evseTargetActivePower: t?.0, evseTargetActivePower_L2: t?.1, evseTargetActivePower_L3: t?.2,
                evsePresentActivePower: present.0, evsePresentActivePower_L2: present.1, evsePresentActivePower_L3: present.2))
        case .dynamic_AC_CLReqControlMode(let q) where !isBPT:
            let power = dynamic(evMaximumCharge: ACPhasePower(q.evMaximumChargePower, q.evMaximumChargePower_L2, q.evMaximumChargePower_L3).total,
                                evMaximumDischarge: 0)
            target = power
            let t = ACPhasePower(total: power, phases: phases).rational
            control = .dynamic_AC_CLResControlMode(Dynamic_AC_CLResControlModeType(
                evseTargetActivePower: t.0, evseTargetActivePower_L2: t.1, evseTargetActivePower_L3: t.2,
                evsePresentActivePower: present.0, evsePresentActivePower_L2: present.1, evsePresentActivePower_L3: present.2))
        case .bpt_Dynamic_AC_CLReqControlMode(let q) where isBPT:
            let power = dynamic(
                evMaximumCharge: ACPhasePower(q.evMaximumChargePower, q.evMaximumChargePower_L2, q.evMaximumChargePower_L3).total,
                evMaximumDischarge: ACPhasePower(q.evMaximumDischargePower, q.evMaximumDischargePower_L2, q.evMaximumDischargePower_L3).total)
            target = power
            let t = ACPhasePower(total: power, phases: phases).rational
            control = .bpt_Dynamic_AC_CLResControlMode(BPT_Dynamic_AC_CLResControlModeType(
                evseTargetActivePower: t.0, evseTargetActivePower_L2: t.1, evseTargetActivePower_L3: t.2,
                evsePresentActivePower: present.0, evsePresentActivePower_L2: present.1, evsePresentActivePower_L3: present.2))
        default:
            return .fail(.failed_WrongChargeParameter, "control mode does not match the selected service")
        }
        let evPresent = m.clReqControlMode.evPresentActivePower?.total ?? 0
        // MeterInfo when asked for, and with the MeteringConfirmation notification ([V2G20-1083]).
        let meter = m.meterInfoRequested || x.evse.notification == .meteringConfirmation
            ? MeterInfoType(meterID: x.evse.meterID, chargedEnergyReadingWh: x.evse.meterReadingWh) : nil
        return .respond(.ac(.ac_ChargeLoopRes(AC_ChargeLoopResType(
            header: x.header, responseCode: .ok, evseStatus: x.evse.evseStatus, meterInfo: meter, clResControlMode: control))),
            commands: [.ac(.chargeLoop(evseTargetActivePower: target, evPresentActivePower: evPresent))])
    }
}
