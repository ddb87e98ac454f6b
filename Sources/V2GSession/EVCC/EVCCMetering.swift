import ISO20Common
import XMLDSig

/// MeteringConfirmation, the EV's side: asked in a ChargeLoopRes (with MeterInfo), the EV signs
/// the reading it received with its contract key (SignedMeteringData), sends
/// MeteringConfirmationReq, and goes on with the charge loop once answered.
extension EVCCSession {
    /// On the main stream: the loop waits for the confirmation. On its side stream (the EV's
    /// policy) the loop goes on and the confirmation travels beside it.
    mutating func confirmMetering(_ meterInfo: MeterInfoType, _ ev: EVInputs, onSideStream: Bool = false) -> [EVCCAction] {
        let mode: SignedMeteringDataType.SMDTControlMode = configuration.controlMode == .scheduled
            ? .scheduled_SMDTControlMode(Scheduled_SMDTControlModeType(selectedScheduleTupleID: scheduleTupleID ?? 1))
            : .dynamic_SMDTControlMode(Dynamic_SMDTControlModeType())
        let data = SignedMeteringDataType(id: "SignedMeteringData", sessionID: sessionID, meterInfo: meterInfo, smdtControlMode: mode)
        meteringToSign = data
        meteringOnSideStream = onSideStream
        if !onSideStream { state = .awaiting(.common(.meteringConfirmationReq)) }
        return [.sign(.metering(data))]
    }

    mutating func meteringSigned(_ signature: SignatureType, _ ev: EVInputs) -> [EVCCAction] {
        guard let data = meteringToSign else { return [] }
        meteringToSign = nil
        var header = header(ev)
        header.signature = signature
        let request = V2GRequest.common(.meteringConfirmationReq(MeteringConfirmationReqType(header: header, signedMeteringData: data)))
        if meteringOnSideStream { return sendOnSideStream(request, .meteringConfirmation) }
        state = .idle
        return send(request, ev)
    }

    mutating func meteringConfirmationAnswered(_ ev: EVInputs) -> [EVCCAction] {
        nextChargeLoop(ev)
    }
}
