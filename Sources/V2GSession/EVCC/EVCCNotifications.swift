import ISO20Common

/// The charge loop's decisions: after each answer go on, stop (done, paused, or told to by the
/// SECC's EVSENotification) or renegotiate the schedule.
extension EVCCSession {
    /// After each charge loop answer. The SECC's notification is honoured at once, well within
    /// NotificationMaxDelay.
    mutating func chargeLoopAnswered(_ status: EVSEStatusType?, meterInfo: MeterInfoType?, _ ev: EVInputs) -> [EVCCAction] {
        var notification = status?.evseNotification
        let side = sideStreamsAfterLoop(&notification, meterInfo, ev)
        // The common case without side-stream work stays one array (this runs every 50 ms).
        if side.isEmpty { return loopDecision(notification, meterInfo: meterInfo, ev) }
        return side + loopDecision(notification, meterInfo: meterInfo, ev)
    }

    /// Go on, stop, pause, renegotiate, confirm metering or change standby, on the main stream.
    private mutating func loopDecision(_ notification: EvseNotificationType?, meterInfo: MeterInfoType?, _ ev: EVInputs) -> [EVCCAction] {
        if notification == .meteringConfirmation, let meterInfo, authorizedWithContract, !ev.chargingComplete, !ev.pauseRequested {
            return confirmMetering(meterInfo, ev)
        }
        if let step = standbyLoopAnswered(notification, ev) { return step }
        if wantsStandby(notification, ev) { return requestStandby(ev, untilExitStandby: notification == .pause) }
        if notification == .serviceRenegotiation { stopIntent = .serviceRenegotiation }
        if ev.pauseRequested || notification == .pause { stopIntent = .pause }
        if ev.chargingComplete || notification == .terminate { stopIntent = .terminate }
        if notification == .scheduleRenegotiation && !ev.chargingComplete && !ev.pauseRequested {
            return powerDelivery(.scheduleRenegotiation, ev)
        }
        if ev.chargingComplete || ev.pauseRequested || [.terminate, .pause, .serviceRenegotiation].contains(notification) {
            return powerDelivery(.stop, ev)
        }
        return nextChargeLoop(ev)
    }
}
