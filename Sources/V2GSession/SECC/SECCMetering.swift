import ISO20Common
import XMLDSig

/// MeteringConfirmation on the main stream ([V2G20-1083]): the charger raises the
/// MeteringConfirmation notification with MeterInfo in a ChargeLoopRes; the EV answers with
/// MeteringConfirmationReq, SignedMeteringData signed with its contract key; the SECC checks that
/// it is this session's and the reading it sent, has the signature verified, and hands the signed
/// reading to the controller as billing evidence.
extension SECCSession {
    /// Keeps the MeterInfo of a ChargeLoopRes that asks for MeteringConfirmation: what the EV must sign.
    mutating func rememberMeteringRequest(_ response: V2GResponse) {
        let status: EVSEStatusType?, meter: MeterInfoType?
        switch response {
        case .dc(.dc_ChargeLoopRes(let m)): (status, meter) = (m.evseStatus, m.meterInfo)
        case .ac(.ac_ChargeLoopRes(let m)): (status, meter) = (m.evseStatus, m.meterInfo)
        default: return
        }
        meteringJustAsked = status?.evseNotification == .meteringConfirmation
        // On the main stream the EV answers at once; on its side stream, while the loop goes
        // on, within NotificationMaxDelay ([V2G20-1621]): the readings stay until confirmed.
        if status?.evseNotification == .meteringConfirmation, let meter {
            meteringRequested = Array((meteringRequested + [meter]).suffix(4))
        }
    }

    /// On the main stream, or on its side stream 0x8102 while the loop goes on (the stream the
    /// research found for it: dsV2Gshark, Josev's comment, [V2G20-1621]).
    mutating func meteringConfirmation(_ m: MeteringConfirmationReqType, _ evse: EVSEInputs, on stream: V2GStream = .main) -> [SECCAction] {
        let kind = MessageKind.common(.meteringConfirmationReq)
        let asked = stream == .main ? meteringJustAsked : !meteringRequested.isEmpty
        meteringJustAsked = false
        guard asked, let contract = authorizedContract, pendingMetering == nil else {
            return failed(kind, .failed_SequenceError, evse, "\(kind) without a MeteringConfirmation notification", on: stream)
        }
        // The EV signs what it received, for this session: anything else is not a confirmation.
        guard m.signedMeteringData.sessionID == sessionID, meteringRequested.contains(m.signedMeteringData.meterInfo) else {
            return failed(kind, .failed_MeteringSignatureNotValid, evse, "SignedMeteringData is not this session's reading", on: stream)
        }
        pendingMetering = (m, stream)
        let check = SECCAction.checkMetering(MeteringCheckRequest(signedMeteringData: m.signedMeteringData, signature: m.header.signature, contractCertificate: contract))
        return stream == .main ? [.startTimer(.sequence, V2GTiming.seccSequenceTimeout), check] : [check]
    }

    /// The runtime's verdict on the signature: MeteringConfirmationRes OK and the receipt to the
    /// controller, or FAILED_MeteringSignatureNotValid (which ends the session).
    public mutating func meteringChecked(valid: Bool, detail: String = "", evse: EVSEInputs) -> [SECCAction] {
        guard let (request, stream) = pendingMetering, state != .ended else { return [] }
        pendingMetering = nil
        meteringRequested.removeAll { $0 == request.signedMeteringData.meterInfo }
        let kind = MessageKind.common(.meteringConfirmationReq)
        guard valid, let signature = request.header.signature else {
            return failed(kind, .failed_MeteringSignatureNotValid, evse, "metering signature: \(detail)", on: stream)
        }
        return [.meteringConfirmed(request.signedMeteringData, signature)]
            + respond(.common(.meteringConfirmationRes(MeteringConfirmationResType(header: header(evse), responseCode: .ok))), on: stream)
    }
}
