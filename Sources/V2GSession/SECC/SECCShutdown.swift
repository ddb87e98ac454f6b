import ISO20Common

/// The charger shuts down (the process got SIGTERM or SIGINT): power off and the contactor open
/// at once, whatever the EV does next; then the session ends in order as far as the EV lets it.
/// With power on (the charge loop, standby), every loop response from now on carries
/// EVSENotification Terminate (whatever else the controller would notify) and the EV has
/// NotificationMaxDelay from the first to stop (PowerDelivery(Stop), welding detection,
/// SessionStop); the runtime bounds the wait as well. After a Stop it finishes as it is. Anywhere
/// else the session ends now. Power does not come back: a Start is refused, and the loop commands
/// nothing (as in standby).
extension SECCSession {
    public mutating func shutdown(evse: EVSEInputs, maxDelay: UInt16 = 2) -> [SECCAction] {
        guard state != .ended, !shuttingDown else { return [] }
        shuttingDown = true
        powerStarted = false
        let off = openContactor()
        if case .energyTransfer(let phase) = state {
            switch phase.power {
            case .on:
                shutdownMaxDelay = maxDelay
                return off
            case .stopped:
                return off
            case .off, .readyToStart:
                break
            }
        }
        return off + end(.shutdown, "the charger shut down in state \(state)")
    }
}
