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
        if notificationDeadline == nil, let n = evse.notification, [.terminate, .pause, .serviceRenegotiation, .scheduleRenegotiation].contains(n) {
            let (deadline, overflow) = evse.timestamp.addingReportingOverflow(UInt64(evse.notificationMaxDelay))
            notificationDeadline = overflow ? .max : deadline
            notifiedPause = n == .pause
        }
        return nil
    }
}
