import ISO20Common
import V2GTP

/// Where a schedule renegotiation on its side stream stands (the EVCC's).
enum EVCCSideRenegotiation: Sendable, Hashable {
    /// PowerDeliveryReq(ScheduleRenegotiation) sent.
    case announced
    /// The service's ChargeParameterDiscoveryReq sent: new limits.
    case parameters
    /// ScheduleExchangeReq sent (repeated while Ongoing).
    case schedule
    /// PowerDeliveryReq(Start) with the new profile sent.
    case start
}

/// The side streams on the EVCC (`SideStream`; the SECC's rules are in `SECCSideStreams`). With
/// `EVCCPolicy.sideStreams` the EV renegotiates its schedule on 0x8101 and confirms metering on
/// 0x8102 beside the charge loop instead of interrupting it, and reports parking on 0x8104 during
/// the loop. One request at a time per stream, each with its V2G_EVCC_Msg_Timeout; a side request
/// the SECC answers Ongoing is repeated with the next charge loop answer (the loop paces it).
extension EVCCSession {
    /// Sends `request` on `stream` and starts that stream's response timer.
    mutating func sendOnSideStream(_ request: V2GRequest, _ stream: SideStream) -> [EVCCAction] {
        guard let kind = request.kind, sideStreamAwaiting[stream] == nil, state != .ended else { return [] }
        sideStreamAwaiting[stream] = kind
        return [.sendOnSideStream(request, stream), .startTimer(.response(on: stream), Self.responseTimeout(kind))]
    }

    /// A frame on a side stream: the answer to the request that stream awaits.
    mutating func receive(frame: V2GTPFrame, on stream: SideStream, ev: EVInputs) -> [EVCCAction] {
        guard state != .ended else { return [] }
        let cancel: [EVCCAction] = [.cancelTimer(.response(on: stream))]
        let response: V2GResponse
        do { response = try V2GResponse(anyStream: frame) } catch {
            return cancel + end(.unexpectedResponse, "malformed response on \(stream): \(error)")
        }
        guard let awaited = sideStreamAwaiting[stream], let kind = response.kind, awaited.isAnswered(by: kind) else {
            return cancel + end(.unexpectedResponse, "unexpected \(response.name) on \(stream)")
        }
        sideStreamAwaiting[stream] = nil
        guard let code = response.responseCode, let responseHeader = response.header else { return cancel + unexpected(response) }
        if code.rawValue.hasPrefix("FAILED") { return cancel + end(.failed(code), "\(awaited) on \(stream): \(code.rawValue)") }
        if responseHeader.sessionID != sessionID { return cancel + end(.failed(.failed_UnknownSession), "response on \(stream) carries another SessionID") }
        switch stream {
        case .meteringConfirmation:
            meteringOnSideStream = false
            return cancel + [.note("metering confirmed on the \(stream)")]
        case .scheduleRenegotiation: return cancel + sideRenegotiationAnswered(response, ev)
        case .parkingStatus: return cancel + parkingAnswered(response, ev)
        case .acdpSystemStatus: return cancel
        }
    }

    /// No answer on a side stream within V2G_EVCC_Msg_Timeout: the session ends, as on the main stream.
    mutating func sideStreamTimeout(_ timer: SessionTimer) -> [EVCCAction] {
        guard let stream = SideStream.allCases.first(where: { SessionTimer.response(on: $0) == timer }),
              let request = sideStreamAwaiting[stream] else { return [] }
        return end(.responseTimeout, "no response to \(request) on the \(stream) within V2G_EVCC_Msg_Timeout")
    }

    /// After each charge loop answer, with side streams on: a side request repeated, a
    /// renegotiation or metering confirmation begun beside the loop (the notification is then
    /// consumed: the loop goes on), the next parking report.
    mutating func sideStreamsAfterLoop(_ notification: inout EvseNotificationType?, _ meterInfo: MeterInfoType?, _ ev: EVInputs) -> [EVCCAction] {
        guard configuration.policy.sideStreams else { return [] }
        var actions: [EVCCAction] = []
        if let again = sideRepeat, sideStreamAwaiting[.scheduleRenegotiation] == nil {
            sideRepeat = nil
            actions += sendOnSideStream(again, .scheduleRenegotiation)
        }
        let stopping = ev.chargingComplete || ev.pauseRequested
        if notification == .scheduleRenegotiation, !stopping, standby != .active {
            notification = nil
            if sideRenegotiation == nil {
                sideRenegotiation = .announced
                // ScheduleRenegotiation carries no power profile ([V2G20-1414]).
                actions += sendOnSideStream(.common(.powerDeliveryReq(PowerDeliveryReqType(
                    header: header(ev), evProcessing: .finished, chargeProgress: .scheduleRenegotiation))), .scheduleRenegotiation)
            }
        }
        if notification == .meteringConfirmation, let meterInfo, authorizedWithContract, !stopping {
            notification = nil
            if meteringToSign == nil && sideStreamAwaiting[.meteringConfirmation] == nil {
                actions += confirmMetering(meterInfo, ev, onSideStream: true)
            }
        }
        if parkingSteps == nil { parkingSteps = parkingReports(ev) }
        if let next = parkingSteps?.first, sideStreamAwaiting[.parkingStatus] == nil {
            parkingSteps?.removeFirst()
            actions += sendOnSideStream(next, .parkingStatus)
        }
        return actions
    }

    private mutating func sideRenegotiationAnswered(_ response: V2GResponse, _ ev: EVInputs) -> [EVCCAction] {
        // Abandoned (power stopped meanwhile): the late answer changes nothing.
        guard let module = energyTransfer, sideRenegotiation != nil else { return [] }
        switch (sideRenegotiation, response) {
        case (.announced?, .common(.powerDeliveryRes)):
            sideRenegotiation = .parameters
            return sendOnSideStream(module.chargeParameterDiscovery(ev, header(ev)), .scheduleRenegotiation)
        case (.parameters?, _):
            // The new limits bind the loop from now on; the step the module names is the main
            // stream's (ScheduleExchange), taken here on the side stream.
            let header = header(ev)
            _ = energyTransfer?.handle(response, ev, header)
            sideRenegotiation = .schedule
            return sendOnSideStream(scheduleExchangeRequest(ev), .scheduleRenegotiation)
        case (.schedule?, .common(.scheduleExchangeRes(let m))):
            guard m.evseProcessing == .finished else {
                sideRepeat = scheduleExchangeRequest(ev)
                return []
            }
            adoptSchedule(m)
            sideRenegotiation = .start
            return Self.priceScheduleChecks(m) + sendOnSideStream(.common(.powerDeliveryReq(startRequest(ev))), .scheduleRenegotiation)
        case (.start?, .common(.powerDeliveryRes)):
            sideRenegotiation = nil
            return [.note("schedule renegotiated on the schedule-renegotiation side stream while the loop went on")]
        default:
            return unexpected(response)
        }
    }
}
