import ISO20Common

/// EVSENotification and NotificationMaxDelay: an EV told to stop (Terminate, Pause,
/// ServiceRenegotiation) or to renegotiate its schedule must answer with PowerDelivery (Stop or
/// ScheduleRenegotiation) within the delay; past it the charger stops alone.
extension SECCSession {
    /// Checked for every request of the service while power is on (the charge loop): nil to go on,
    /// or the FAILED end once the deadline passed. The first notification arms the deadline.
    mutating func enforceNotificationMaxDelay(_ kind: MessageKind, _ evse: EVSEInputs) -> [SECCAction]? {
        if let deadline = notificationDeadline, evse.timestamp > deadline {
            return failed(kind, .failed, evse, "the EV did not stop within NotificationMaxDelay (\(evse.notificationMaxDelay) s)")
        }
        if notificationDeadline == nil, let n = evse.notification, [.terminate, .pause, .serviceRenegotiation, .scheduleRenegotiation].contains(n),
           // Already answered: an EV in standby has answered a Pause ([V2G20-1850]); one
           // renegotiating on its side stream, a ScheduleRenegotiation.
           !(n == .pause && standby), !(n == .scheduleRenegotiation && sideRenegotiation != nil) {
            let (deadline, overflow) = evse.timestamp.addingReportingOverflow(UInt64(evse.notificationMaxDelay))
            notificationDeadline = overflow ? .max : deadline
            notified = n
        }
        return nil
    }

    /// What the EV did answers the notification whose deadline runs, if it is the answer to it:
    /// PowerDelivery(Stop) answers every one; ScheduleRenegotiation only a ScheduleRenegotiation
    /// (an EV told to stop cannot renegotiate its way past the deadline).
    mutating func notificationAnswered(by progress: ChargeProgressType) {
        guard progress == .stop || notified == .scheduleRenegotiation else { return }
        notificationDeadline = nil
        notified = nil
    }
}
