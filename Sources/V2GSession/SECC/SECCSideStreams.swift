import ISO20Common
import V2GTP

/// The side streams (`SideStream`, V2GTP 0x8101–0x8104) on the SECC: requests that come beside the
/// main stream's sequence, each answered on its own stream while the main stream goes on under its
/// own rules and timer. What each stream carries:
/// - 0x8101 schedule renegotiation, while the charge loop goes on (power on): PowerDelivery
///   (ScheduleRenegotiation), the service's ChargeParameterDiscovery (optional: new limits),
///   ScheduleExchange, then PowerDelivery(Start) with the new power profile. It is the main
///   stream's renegotiation ([V2G20-1477] family) without stopping the loop; one at a time, and not
///   beside one on the main stream.
/// - 0x8102 MeteringConfirmation after the charger's notification ([V2G20-1083], [V2G20-1621]).
/// - 0x8103 ACDP system status: for the ACDP energy service, which this SECC does not offer yet.
/// - 0x8104 parking status: VehicleCheckIn/VehicleCheckOut of the ParkingStatus service
///   (`SECCParking`).
/// A request a stream does not carry, or out of its order, is FAILED_SequenceError on that stream
/// ([V2G20-459]); like every FAILED code it ends the session.
extension SECCSession {
    mutating func receive(frame: V2GTPFrame, on stream: SideStream, evse: EVSEInputs) -> [SECCAction] {
        do {
            return receive(try V2GRequest(anyStream: frame), on: stream, evse: evse)
        } catch {
            switch error {
            case .exi(_, let meant?) where meant.isRequest:
                return failed(meant, .failed, evse, "\(stream): \(error)", on: .side(stream))
            case .notCarried:
                // Which request it was meant to be: the root under the stream's message sets.
                let meant = stream.schemas.lazy.compactMap { MessageKind(peeking: frame.payload, schema: $0) }.first { $0.isRequest }
                if let meant { return failed(meant, .failed_SequenceError, evse, "\(error)", on: .side(stream)) }
                return end(.malformedRequest, "\(error)")
            default:
                return end(.malformedRequest, "\(stream): \(error)")
            }
        }
    }

    /// A decoded request on a side stream.
    public mutating func receive(_ request: V2GRequest, on stream: SideStream, evse: EVSEInputs) -> [SECCAction] {
        guard state != .ended else { return [] }
        guard let kind = request.kind, kind.isRequest, stream.carries(kind) else {
            return end(.malformedRequest, "\(request.name) is not a request \(stream) carries")
        }
        let side = V2GStream.side(stream)
        // Side-stream responses carry no EVSEStatus: a notification raised now waits for the loop.
        if let n = evse.notification, latchedNotification == nil { latchedNotification = (n, evse.notificationMaxDelay) }
        // Side streams belong to a session: after SessionSetup, with its ID ([V2G20-460]).
        guard let sessionID, selectedService != nil else {
            return failed(kind, .failed_SequenceError, evse, "\(kind) on \(stream) before service selection", on: side)
        }
        guard request.header?.sessionID == sessionID else {
            return failed(kind, .failed_UnknownSession, evse, "SessionID on \(stream) is not this session's", on: side)
        }
        switch stream {
        case .meteringConfirmation:
            guard case .common(.meteringConfirmationReq(let m)) = request else { return sequenceError(kind, evse, on: side) }
            return meteringConfirmation(m, evse, on: side)
        case .scheduleRenegotiation:
            return sideScheduleRenegotiation(request, kind, evse)
        case .parkingStatus:
            return parking(request, kind, evse, on: side)
        case .acdpSystemStatus:
            return failed(kind, .failed_SequenceError, evse, "no ACDP service selected", on: side)
        }
    }

    /// An out-of-sequence request on a side stream: FAILED_SequenceError there.
    mutating func sequenceError(_ kind: MessageKind, _ evse: EVSEInputs, on stream: V2GStream) -> [SECCAction] {
        failed(kind, .failed_SequenceError, evse, "\(kind) is not allowed on \(stream) in state \(state)", on: stream)
    }

    /// Schedule renegotiation beside the charge loop.
    private mutating func sideScheduleRenegotiation(_ request: V2GRequest, _ kind: MessageKind, _ evse: EVSEInputs) -> [SECCAction] {
        let side = V2GStream.side(.scheduleRenegotiation)
        guard case .energyTransfer(let phase) = state, phase.power == .on, var module = energyTransfer, let selectedService else {
            return sequenceError(kind, evse, on: side)
        }
        let ok = PowerDeliveryResType(header: header(evse), responseCode: .ok, evseStatus: evse.evseStatus)
        let serviceRequest: Bool = if case .common = kind { false } else { true }
        switch (request, sideRenegotiation) {
        case (.common(.powerDeliveryReq(let m)), nil) where m.chargeProgress == .scheduleRenegotiation:
            // Beside the loop: standby, if any, stays (the main stream's PowerDelivery ends it).
            sideRenegotiation = .started
            notificationAnswered(by: .scheduleRenegotiation)
            return respond(.common(.powerDeliveryRes(ok)), on: side)
        case (.common(.scheduleExchangeReq(let m)), .started?), (.common(.scheduleExchangeReq(let m)), .parametersDiscovered?):
            sideRenegotiation = .scheduleAgreed
            return scheduleExchange(m, evse, on: side)
        case (.common(.powerDeliveryReq(let m)), .scheduleAgreed?) where m.chargeProgress == .start:
            sideRenegotiation = nil
            return respond(.common(.powerDeliveryRes(ok)), on: side)
        case (_, .started?) where serviceRequest:
            // The service's ChargeParameterDiscovery: new limits, the main stream's phase unchanged.
            let exchange = SECCExchange(header: header(evse), evse: evse, selected: selectedService, configuration: configuration, standby: standby)
            guard module.firstPhase.requests.contains(kind) else { return sequenceError(kind, evse, on: side) }
            let outcome = module.handle(request, in: module.firstPhase, exchange)
            energyTransfer = module
            switch outcome {
            case .respond(let response, _):
                sideRenegotiation = .parametersDiscovered
                return respond(response, on: side)
            case .fail(let code, let detail):
                return failed(kind, code, evse, detail, on: side)
            }
        default:
            return sequenceError(kind, evse, on: side)
        }
    }
}

/// Where a schedule renegotiation on its side stream stands.
enum SideRenegotiation: Sendable, Hashable {
    /// PowerDelivery(ScheduleRenegotiation) answered.
    case started
    /// The service's ChargeParameterDiscovery answered (new limits in force).
    case parametersDiscovered
    /// ScheduleExchange answered: PowerDelivery(Start) with the new profile ends it.
    case scheduleAgreed
}
