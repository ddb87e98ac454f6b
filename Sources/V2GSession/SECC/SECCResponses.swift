import ISO20Common

/// How the SECC answers: headers, the sequence timer, FAILED responses, the end of the session.
extension SECCSession {
    func header(_ evse: EVSEInputs) -> MessageHeaderType {
        MessageHeaderType(sessionID: sessionID ?? SessionIDGenerator.zero, timeStamp: evse.timestamp)
    }

    /// Sends `response` and restarts V2G_SECC_Sequence_Timeout ([V2G20-441]). On a side stream the
    /// response goes back on the request's stream, and the main stream's timer runs on untouched.
    func respond(_ response: V2GResponse, on stream: V2GStream = .main) -> [SECCAction] {
        guard case .side(let side) = stream else { return [.send(response), sequenceTimer(after: response)] }
        return [.sendOnSideStream(response, side)]
    }

    /// V2G_SECC_Sequence_Timeout from this response on: 0.5 s after a charge loop response
    /// ([V2G20-1500] AC, [V2G20-1502] DC), 60 s after any other.
    func sequenceTimer(after response: V2GResponse) -> SECCAction {
        let loop = response.kind?.isChargeLoop ?? false
        return .startTimer(.sequence, loop ? V2GTiming.seccSequenceTimeoutChargeLoop : V2GTiming.seccSequenceTimeout)
    }

    /// Ends the session, the contactor opened first if it was closed.
    mutating func end(_ reason: SessionEnd.Reason, _ detail: String) -> [SECCAction] {
        let open = leaveStandby() + openContactor()
        state = .ended
        return open + [.endSession(SessionEnd(reason: reason, detail: detail))]
    }

    /// An out-of-sequence request gets FAILED_SequenceError ([V2G20-459]) and ends the session.
    mutating func sequenceError(_ kind: MessageKind, _ evse: EVSEInputs) -> [SECCAction] {
        failed(kind, .failed_SequenceError, evse, "\(kind) is not allowed in state \(state)")
    }

    /// Answers the request of `kind` with `code` (the generated FAILED form: mandatory fields
    /// schema-valid, [V2G20-736]) and ends the session: every FAILED code is fatal for both sides.
    mutating func failed(_ kind: MessageKind, _ code: ISO20Common.ResponseCodeType, _ evse: EVSEInputs, _ detail: String,
                         on stream: V2GStream = .main) -> [SECCAction] {
        let response = kind.failedResponse(code: code, header: header(evse)).map { r -> [SECCAction] in
            if case .side(let side) = stream { return [.sendOnSideStream(r, side)] }
            return [.send(r)]
        } ?? []
        return response + end(.failed(code), detail)
    }
}
