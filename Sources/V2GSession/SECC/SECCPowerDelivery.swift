import ISO20Common

/// PowerDelivery: Start (in the phase the service makes ready for it) switches power on and
/// leads to its charge loop; Stop switches it off and leads to the service's phase after power
/// (DC: welding detection); ScheduleRenegotiation leads, power on, through a new ScheduleExchange
/// back to Start. With EVProcessing = Ongoing the EV has not finished its power profile and will
/// repeat the request (Josev's EV does so at random): the SECC answers OK and waits for the
/// Finished one before switching power on, so a repeated Start is not a sequence error. The
/// contactor follows the control pilot (`SECCContactor`). Standby is `SECCStandby`'s.
extension SECCSession {
    mutating func powerDelivery(_ m: PowerDeliveryReqType, _ evse: EVSEInputs) -> [SECCAction] {
        let ok = respond(.common(.powerDeliveryRes(PowerDeliveryResType(header: header(evse), responseCode: .ok, evseStatus: evse.evseStatus))))
        let afterRenegotiation = state == .waitingForPowerDeliveryAfterRenegotiation
        let power: EnergyTransferPhase.Power? = if case .energyTransfer(let phase) = state { phase.power } else { nil }
        guard let module = energyTransfer else {
            return failed(.common(.powerDeliveryReq), .failed_PowerDeliveryNotApplied, evse, "no energy service selected")
        }
        if shuttingDown, m.chargeProgress == .start || m.chargeProgress == .standby {
            return failed(.common(.powerDeliveryReq), .failed_PowerDeliveryNotApplied, evse, "the charger is shutting down")
        }
        switch m.chargeProgress {
        case .start where m.evProcessing != .finished && (power == .readyToStart || (standby && power == .on) || afterRenegotiation):
            // Wherever a Start can come: the EV repeats it with Finished, and only that one acts.
            return ok
        case .start where power == .readyToStart:
            return startPower(module, evse)
        case .start where standby && power == .on:
            return leaveStandbyToStart(module, evse)
        case .start where afterRenegotiation && !powerStarted:
            // Renegotiated from standby before the first Start: power starts now, with its checks.
            return startPower(module, evse)
        case .start where afterRenegotiation:
            state = .energyTransfer(module.chargingPhase)
            return ok
        case .standby where power == .readyToStart || power == .on || afterRenegotiation:
            return enterStandby(module, evse)
        case .scheduleRenegotiation where power == .on && sideRenegotiation == nil:
            // The EV asks for a new schedule; power stays on while it is agreed.
            state = .renegotiatingSchedule
            notificationAnswered(by: .scheduleRenegotiation)
            return leaveStandby() + ok
        case .stop where power == .on || afterRenegotiation:
            // Also after a renegotiated schedule: the EV may stop instead of going on.
            state = .energyTransfer(module.phaseAfterPowerOff)
            notificationAnswered(by: .stop)
            sideRenegotiation = nil
            powerStarted = false
            powerDeliveryStopOngoing = m.evProcessing != .finished
            return leaveStandby() + openContactor() + ok
        case .stop where power == .stopped && powerDeliveryStopOngoing:
            powerDeliveryStopOngoing = m.evProcessing != .finished
            return ok
        case _ where power == .stopped:
            // Only a repeat of an Ongoing Stop is in sequence here.
            return failed(.common(.powerDeliveryReq), .failed_SequenceError, evse, "PowerDeliveryReq after PowerDelivery(Stop) finished")
        default:
            return failed(.common(.powerDeliveryReq), .failed_PowerDeliveryNotApplied, evse, "ChargeProgress \(m.chargeProgress) in state \(state)")
        }
    }
}
