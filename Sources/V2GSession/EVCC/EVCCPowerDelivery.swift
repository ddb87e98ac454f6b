import ISO20Common

/// PowerDelivery: Start with the EV's power profile, Stop and ScheduleRenegotiation; after Stop,
/// the energy service's phase after power.
extension EVCCSession {
    /// PowerDelivery(Start) with the EV's power profile: the planned power until departure, in
    /// Scheduled mode tied to the schedule tuple it follows. An EV that has finished processing
    /// sends its profile with Start (Josev's SECC rejects a Start without one); a bidirectional
    /// service names the channel it starts on. PowerToleranceAcceptance is optional in the XSD;
    /// the EV states it always (confirmed when the schedule offered a tolerance), since Josev's
    /// SECC rejects a Scheduled profile without it.
    mutating func powerDeliveryStart(_ ev: EVInputs) -> PowerDeliveryReqType {
        powerDeliveryProgress = .start
        leaveStandby()
        return startRequest(ev)
    }

    /// PowerDeliveryReq(Start) as it goes out, on whichever stream.
    func startRequest(_ ev: EVInputs) -> PowerDeliveryReqType {
        let planned = energyTransfer?.plannedPower(ev) ?? 0
        let bidirectional = energyTransfer?.isBidirectional ?? false
        return PowerDeliveryReqType(header: header(ev), evProcessing: .finished, chargeProgress: .start, evPowerProfile: powerProfile(planned, ev),
                                    bpt_ChannelSelection: bidirectional ? (planned < 0 ? .discharge : .charge) : nil)
    }

    /// The EV's power profile: `planned` watts until departure, in Scheduled mode tied to the
    /// schedule tuple it follows.
    func powerProfile(_ planned: Double, _ ev: EVInputs) -> EVPowerProfileType {
        let control: EVPowerProfileType.EVPPTControlMode = configuration.controlMode == .scheduled
            ? .scheduled_EVPPTControlMode(Scheduled_EVPPTControlModeType(
                selectedScheduleTupleID: scheduleTupleID ?? 1,
                powerToleranceAcceptance: scheduleHasPowerTolerance ? .powerToleranceConfirmed : .powerToleranceNotConfirmed))
            : .dynamic_EVPPTControlMode(Dynamic_EVPPTControlModeType())
        return EVPowerProfileType(
            timeAnchor: ev.timestamp, evpptControlMode: control,
            evPowerProfileEntries: EVPowerProfileEntryListType(evPowerProfileEntry: [
                PowerScheduleEntryType(duration: max(configuration.departureTime, 1), power: RationalNumberType(planned))]))
    }

    /// PowerDelivery without a profile: Stop or ScheduleRenegotiation.
    mutating func powerDelivery(_ progress: ChargeProgressType, _ ev: EVInputs) -> [EVCCAction] {
        powerDeliveryProgress = progress
        leaveStandby()
        if progress == .stop {
            // A renegotiation beside the loop ends with the power: its answers still due are dropped.
            sideRenegotiation = nil
            sideRepeat = nil
        }
        return send(.common(.powerDeliveryReq(PowerDeliveryReqType(header: header(ev), evProcessing: .finished, chargeProgress: progress))), ev)
    }

    mutating func powerDeliveryAnswered(_ m: PowerDeliveryResType, _ ev: EVInputs) -> [EVCCAction] {
        guard let module = energyTransfer else { return end(.failed(.failed_NoEnergyTransferServiceSelected), "no service selected") }
        switch powerDeliveryProgress {
        case .standby: return standbyAnswered(m, ev)
        case .start: return nextChargeLoop(ev)
        case .scheduleRenegotiation:
            // A new ScheduleExchange with power on, its Ongoing limit counted afresh, then
            // PowerDelivery(Start) with the new profile.
            renegotiatingSchedule = true
            phaseStart[.common(.scheduleExchangeReq)] = nil
            return scheduleExchange(ev)
        case .stop: return switchControlPilot(.b) + perform(module.afterPowerOff(ev, header(ev)), ev)
        }
    }
}
