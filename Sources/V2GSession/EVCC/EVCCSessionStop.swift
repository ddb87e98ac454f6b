import ISO20Common

/// SessionStop: Terminate, Pause (keeping what a resume needs) or ServiceRenegotiation (the
/// session goes on from ServiceDiscovery, [V2G20-1477]).
extension EVCCSession {
    mutating func sessionStop(_ ev: EVInputs) -> [EVCCAction] {
        send(.common(.sessionStopReq(SessionStopReqType(header: header(ev), chargingSession: stopIntent))), ev)
    }

    mutating func sessionStopAnswered(_ ev: EVInputs) -> [EVCCAction] {
        switch stopIntent {
        case .serviceRenegotiation:
            // Every phase of the energy service runs again under the newly selected service.
            service = nil
            energyTransfer = nil
            scheduleTupleID = nil
            stopIntent = .terminate
            // Nothing of the old selection goes on: standby, side-stream exchanges, parking reports.
            standby = .none
            standbyUntilExit = false
            sideRenegotiation = nil
            sideRepeat = nil
            meteringOnSideStream = false
            meteringToSign = nil
            parkingSteps = nil
            phaseStart = phaseStart.filter { $0.key == .supportedAppProtocol }
            return serviceDiscovery(ev)
        case .pause:
            guard let service else { return end(.terminated, "SessionStop(Terminate) answered") }
            pausedSession = PausedSession(sessionID: sessionID, evccID: configuration.evccID, selectedService: service, valueAddedServices: selectedVAS)
            return end(.paused, "SessionStop(Pause) answered")
        case .terminate:
            if let unusable { return end(.noUsableService, unusable) }
            if let refused = refusedAuthorization { return end(.notAuthorized(refused), "authorization refused: \(refused.rawValue)") }
            return end(.terminated, "SessionStop(Terminate) answered")
        }
    }
}
