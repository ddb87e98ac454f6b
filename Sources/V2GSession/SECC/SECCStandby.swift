import ISO20Common

/// Standby (PowerDeliveryReq ChargeProgress=Standby): the session stays, the charge loop goes on as
/// its keep-alive at the loop's pace and timeouts ([V2G20-2113]; V2G_SECC_Sequence_Timeout of the
/// loop tables from the PowerDeliveryRes on, [V2G20-2192]), and no energy flows: the EV asks for it
/// at zero power ([V2G20-2116]) and the SECC reads nothing of the loop request but MeterInfoRequested
/// and display values ([V2G20-2118]), so it commands zero. The contactor stays as it was (closed
/// when standby came from the charge loop, open when it came before the first Start: it never
/// closes before PowerDeliveryReq(Start), [V2G20-1317]).
///
/// Entry: after a ChargeLoopRes or MeteringConfirmationRes ([V2G20-1391], [V2G20-1394]), or before
/// the first Start where PowerDelivery(Start) could come (DC after pre-charge, [V2G20-1380]; AC
/// after ScheduleExchange, [V2G20-1390]). Exit: PowerDeliveryReq Start (power back on, no new
/// cable check or pre-charge), Stop or ScheduleRenegotiation ([V2G20-1386]). The charger may ask
/// the EV to leave with EVSENotification=ExitStandby ([V2G20-1854]). A charger that does not allow
/// standby answers WARNING_StandbyNotAllowed and the session goes on as before ([V2G20-1387],
/// [V2G20-1396]). A Pause notification may be answered with standby instead of a stop ([V2G20-1850]).
extension SECCSession {
    /// PowerDeliveryReq(Standby) where the power phase allows it.
    mutating func enterStandby(_ module: any SECCEnergyTransfer, _ evse: EVSEInputs) -> [SECCAction] {
        guard configuration.standbyAllowed else {
            return respond(.common(.powerDeliveryRes(PowerDeliveryResType(header: header(evse), responseCode: .warning_StandbyNotAllowed))))
        }
        let entered = !standby
        standby = true
        state = .energyTransfer(module.chargingPhase)
        // Standby answers a Pause notification ([V2G20-1850]); any other still stands.
        if notified == .pause { notificationDeadline = nil; notified = nil }
        let res = V2GResponse.common(.powerDeliveryRes(PowerDeliveryResType(header: header(evse), responseCode: .ok, evseStatus: standbyStatus(evse))))
        return (entered ? [.evse(.standby(true))] : []) + [.send(res), .startTimer(.sequence, V2GTiming.seccSequenceTimeoutChargeLoop)]
    }

    /// PowerDeliveryReq(Start) in standby: power on again, at once where the contactor stayed
    /// closed, through the contactor's checks where standby began before the first Start.
    mutating func leaveStandbyToStart(_ module: any SECCEnergyTransfer, _ evse: EVSEInputs) -> [SECCAction] {
        standby = false
        if powerStarted {
            state = .energyTransfer(module.chargingPhase)
            return [.evse(.standby(false))] + respond(.common(.powerDeliveryRes(PowerDeliveryResType(header: header(evse), responseCode: .ok, evseStatus: evse.evseStatus))))
        }
        return [.evse(.standby(false))] + startPower(module, evse)
    }

    /// PowerDelivery(Standby) right after ScheduleExchange where the service still has checks
    /// before power (DC: cable check and pre-charge). [V2G20-1390] lets the EV ask there; a
    /// standby from which Start would switch power on unchecked is not safe, so the SECC declines
    /// it with the non-fatal WARNING_StandbyNotAllowed rather than ending the session.
    func standbyBeforePowerCanStart(_ request: V2GRequest, _ evse: EVSEInputs) -> [SECCAction]? {
        guard case .common(.powerDeliveryReq(let m)) = request, m.chargeProgress == .standby, m.header.sessionID == sessionID,
              case .energyTransfer(let phase) = state, let module = energyTransfer, phase == module.phaseAfterScheduleExchange,
              !awaitingRuntime else { return nil }
        return respond(.common(.powerDeliveryRes(PowerDeliveryResType(header: header(evse), responseCode: .warning_StandbyNotAllowed))))
    }

    /// Stop or ScheduleRenegotiation leave standby too; the hardware hears of it.
    mutating func leaveStandby() -> [SECCAction] {
        guard standby else { return [] }
        standby = false
        return [.evse(.standby(false))]
    }

    /// ExitStandby means something only in standby: outside it the notification is not sent.
    func standbyStatus(_ evse: EVSEInputs) -> EVSEStatusType? {
        evse.notification == .exitStandby && !standby ? nil : evse.evseStatus
    }
}
