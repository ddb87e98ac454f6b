import ISO20Common

/// SessionStop: Terminate ends the session, Pause keeps it to be resumed, ServiceRenegotiation
/// goes back to ServiceDiscovery ([V2G20-1477]).
extension SECCSession {
    mutating func sessionStop(_ m: SessionStopReqType, _ evse: EVSEInputs) -> [SECCAction] {
        let response = SECCAction.send(.common(.sessionStopRes(SessionStopResType(header: header(evse), responseCode: .ok))))
        switch m.chargingSession {
        case .terminate: return [response] + end(.terminated, "SessionStop(Terminate)")
        case .pause:
            if let sessionID, let evccID, let selectedService {
                pausedSession = PausedSession(sessionID: sessionID, evccID: evccID, selectedService: selectedService, valueAddedServices: selectedVAS)
            }
            return [response] + end(.paused, "SessionStop(Pause)")
        case .serviceRenegotiation:
            guard configuration.serviceRenegotiationSupported else {
                return failed(.common(.sessionStopReq), .failed_NoServiceRenegotiationSupported, evse, "renegotiation not offered")
            }
            // The energy service's phases run again for the new selection, from a clean slate:
            // power off (an EV that stops from the loop without PowerDelivery(Stop) finds the
            // contactor opened here), no standby, no notification or exchange still pending.
            let off = leaveStandby() + openContactor()
            state = .waitingForServiceDiscovery
            selectedService = nil
            energyTransfer = nil
            powerDeliveryStopOngoing = false
            powerStarted = false
            notificationDeadline = nil
            notified = nil
            latchedNotification = nil
            sideRenegotiation = nil
            meteringRequested = []
            meteringJustAsked = false
            return off + [response, .startTimer(.sequence, V2GTiming.seccSequenceTimeout)]
        }
    }
}
