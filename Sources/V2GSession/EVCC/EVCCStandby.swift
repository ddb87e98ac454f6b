import ISO20Common

/// Where the EV's standby stands.
public enum EVCCStandby: Sendable, Hashable {
    case none
    /// PowerDeliveryReq(Standby) sent, before the first Start (`beforeStart`) or from the loop.
    case requested(beforeStart: Bool)
    /// The charger agreed: the charge loop runs on at zero power until the EV wakes up or the
    /// charger sends ExitStandby.
    case active
    /// The charger answered WARNING_StandbyNotAllowed: the EV does not ask again this session.
    case refused
    /// The charger asked the EV out of standby (ExitStandby): the EV asks again only once its own
    /// wish has ended and come back.
    case exitedOnRequest
}

/// Standby, the EV's side (`SECCStandby` has the rules). The EV asks for it where it could start
/// power ([V2G20-1380], [V2G20-1390]) or from the charge loop ([V2G20-1391]) when its energy
/// manager wants no energy for now (`EVInputs.standbyRequested`), or when the charger notifies
/// Pause and its policy prefers standby ([V2G20-1850]). In standby it keeps the loop going at zero
/// power ([V2G20-2113], [V2G20-2116]) and wakes with PowerDeliveryReq(Start) when it wants energy
/// again or the charger sends ExitStandby ([V2G20-1854]); Stop and Terminate end it as usual.
/// Refused (WARNING_StandbyNotAllowed), it goes on as before ([V2G20-1396]): it starts or keeps charging.
extension EVCCSession {
    /// PowerDeliveryReq(Standby), with a power profile of zero for the standby period ([V2G20-1068]).
    /// `untilExitStandby`: standby answers the charger's Pause, so the EV stays until the charger
    /// sends ExitStandby rather than waking when it wants energy.
    mutating func requestStandby(_ ev: EVInputs, untilExitStandby: Bool = false) -> [EVCCAction] {
        standbyUntilExit = untilExitStandby
        let beforeStart: Bool = if case .awaiting(let kind) = state { !kind.isChargeLoop && kind != .common(.meteringConfirmationReq) } else { true }
        standby = .requested(beforeStart: beforeStart)
        powerDeliveryProgress = .standby
        return send(.common(.powerDeliveryReq(PowerDeliveryReqType(
            header: header(ev), evProcessing: .finished, chargeProgress: .standby, evPowerProfile: powerProfile(0, ev)))), ev)
    }

    mutating func standbyAnswered(_ m: PowerDeliveryResType, _ ev: EVInputs) -> [EVCCAction] {
        let beforeStart = standby == .requested(beforeStart: true)
        guard m.responseCode != .warning_StandbyNotAllowed else {
            standby = .refused
            if standbyUntilExit {
                // Standby was the answer to the charger's Pause: refused, the EV pauses.
                standbyUntilExit = false
                stopIntent = .pause
                return [.note("the charger does not allow standby: pausing as it asked")] + powerDelivery(.stop, ev)
            }
            let note = EVCCAction.note("the charger does not allow standby (WARNING_StandbyNotAllowed): going on with power")
            // Refused where it could start: it starts; refused in the loop: the loop goes on.
            return [note] + (beforeStart ? send(.common(.powerDeliveryReq(powerDeliveryStart(ev))), ev) : nextChargeLoop(ev))
        }
        standby = .active
        return nextChargeLoop(ev)
    }

    /// In standby, after each loop answer: wake up (the EV wants energy, or ExitStandby), or keep
    /// the loop going; nil when the usual decisions (stop, pause, terminate) apply.
    mutating func standbyLoopAnswered(_ notification: EvseNotificationType?, _ ev: EVInputs) -> [EVCCAction]? {
        if standby == .exitedOnRequest && !ev.standbyRequested { standby = .none }
        guard standby == .active, !ev.chargingComplete, !ev.pauseRequested,
              ![.terminate, .serviceRenegotiation, .scheduleRenegotiation].contains(notification) else { return nil }
        if notification == .pause {
            // Already in standby: that answers a Pause where the EV's policy says so (it then
            // waits for ExitStandby); otherwise it pauses as asked.
            guard configuration.policy.standbyInsteadOfPause else { return nil }
            standbyUntilExit = true
            return nextChargeLoop(ev)
        }
        if notification == .exitStandby || !ev.standbyRequested && !standbyUntilExit && notification != .pause {
            let start = powerDeliveryStart(ev)
            if notification == .exitStandby && ev.standbyRequested { standby = .exitedOnRequest }
            return send(.common(.powerDeliveryReq(start)), ev)
        }
        return nextChargeLoop(ev)
    }

    /// Start, Stop or ScheduleRenegotiation end standby (a refusal, or the charger's request to
    /// leave, stands).
    mutating func leaveStandby() {
        if standby != .refused && standby != .exitedOnRequest { standby = .none }
        standbyUntilExit = false
    }

    /// Whether the EV goes to standby now from the loop: it wants to, or the charger notified
    /// Pause and the EV's policy answers that with standby.
    func wantsStandby(_ notification: EvseNotificationType?, _ ev: EVInputs) -> Bool {
        guard standby == .none, !ev.chargingComplete, !ev.pauseRequested,
              ![.terminate, .serviceRenegotiation, .scheduleRenegotiation].contains(notification) else { return false }
        return ev.standbyRequested || notification == .pause && configuration.policy.standbyInsteadOfPause
    }
}
