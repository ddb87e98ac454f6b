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
        // Valid until the next charge loop response: after it the EV has moved on.
        meteringRequested = status?.evseNotification == .meteringConfirmation ? meter : nil
    }

    mutating func meteringConfirmation(_ m: MeteringConfirmationReqType, _ evse: EVSEInputs) -> [SECCAction] {
        let kind = MessageKind.common(.meteringConfirmationReq)
        guard let sent = meteringRequested, let contract = authorizedContract else { return sequenceError(kind, evse) }
        // The EV signs what it received, for this session: anything else is not a confirmation.
        guard m.signedMeteringData.sessionID == sessionID, m.signedMeteringData.meterInfo == sent else {
            return failed(kind, .failed_MeteringSignatureNotValid, evse, "SignedMeteringData is not this session's reading")
        }
        pendingMetering = m
        return [.startTimer(.sequence, V2GTiming.seccSequenceTimeout), .checkMetering(MeteringCheckRequest(signedMeteringData: m.signedMeteringData, signature: m.header.signature, contractCertificate: contract))]
    }

    /// The runtime's verdict on the signature: MeteringConfirmationRes OK and the receipt to the
    /// controller, or FAILED_MeteringSignatureNotValid (which ends the session).
    public mutating func meteringChecked(valid: Bool, detail: String = "", evse: EVSEInputs) -> [SECCAction] {
        guard let request = pendingMetering else { return [] }
        pendingMetering = nil
        meteringRequested = nil
        let kind = MessageKind.common(.meteringConfirmationReq)
        guard valid, let signature = request.header.signature else {
            return failed(kind, .failed_MeteringSignatureNotValid, evse, "metering signature: \(detail)")
        }
        return [.meteringConfirmed(request.signedMeteringData, signature)]
            + respond(.common(.meteringConfirmationRes(MeteringConfirmationResType(header: header(evse), responseCode: .ok))))
    }
}
