import ISO20Common

/// The contactor follows the session and the control pilot together ([V2G20-858]–[V2G20-864]):
/// - it never closes before PowerDeliveryReq(Start) ([V2G20-1317]), and then only with the EV in
///   CP state C or D. The EV switches to C within 250 ms after sending Start in AC ([V2G20-847];
///   before DC_CableCheckReq in DC, [V2G20-912]), so a Start that finds the pilot in B is held:
///   the SECC reads the pilot every `seccContactorPollInterval`, closes and answers OK once it is
///   C ([V2G20-860], [V2G20-861]), or answers FAILED_ContactorError after `seccContactorTimeout`
///   ([V2G20-862]). Any other request meanwhile is out of sequence;
/// - it opens on PowerDelivery(Stop) before the answer ([V2G20-863], [V2G20-864]), when the EV
///   leaves C in the charge loop (IEC 61851-1), and whenever the session ends (SessionStop, any
///   FAILED, a timeout, a lost link).
extension SECCSession {
    /// PowerDelivery(Start), validated: close and answer now, or hold the answer for state C.
    mutating func startPower(_ module: any SECCEnergyTransfer, _ evse: EVSEInputs) -> [SECCAction] {
        guard evse.controlPilot.readyForPower else {
            pendingStart = 0
            return [.startTimer(.contactor, V2GTiming.seccContactorPollInterval)]
        }
        return closeAndAnswerStart(module, evse)
    }

    /// The contactor timer: the pilot read again while a Start is held.
    mutating func contactorPoll(_ evse: EVSEInputs) -> [SECCAction] {
        guard let polls = pendingStart, let module = energyTransfer else { return [] }
        if evse.controlPilot.readyForPower { return closeAndAnswerStart(module, evse) }
        let waited = V2GTiming.seccContactorPollInterval * (polls + 1)
        guard waited < V2GTiming.seccContactorTimeout else {
            pendingStart = nil
            return failed(.common(.powerDeliveryReq), .failed_ContactorError, evse,
                          "the EV did not reach CP state C within \(V2GTiming.seccContactorTimeout) of PowerDeliveryReq(Start)")
        }
        pendingStart = polls + 1
        return [.startTimer(.contactor, V2GTiming.seccContactorPollInterval)]
    }

    private mutating func closeAndAnswerStart(_ module: any SECCEnergyTransfer, _ evse: EVSEInputs) -> [SECCAction] {
        pendingStart = nil
        powerStarted = true
        state = .energyTransfer(module.chargingPhase)
        return followControlPilot(evse)
            + respond(.common(.powerDeliveryRes(PowerDeliveryResType(header: header(evse), responseCode: .ok, evseStatus: evse.evseStatus))))
    }

    /// In the charge loop: closes the contactor if the pilot is in C, opens it if the EV left C.
    mutating func followControlPilot(_ evse: EVSEInputs) -> [SECCAction] {
        let powerOn: Bool = if case .energyTransfer(let phase) = state { phase.power == .on } else {
            state == .renegotiatingSchedule || state == .waitingForPowerDeliveryAfterRenegotiation
        }
        // Never before a Start was accepted (standby before the first Start, a renegotiation
        // from there): power on in the sequence is not yet power started.
        let close = powerOn && evse.controlPilot.readyForPower && powerStarted
        guard close != contactorClosed else { return [] }
        contactorClosed = close
        return [.evse(.powerDelivery(on: close))]
    }

    /// Opens the contactor if it is closed (Stop, the end of the session).
    mutating func openContactor() -> [SECCAction] {
        guard contactorClosed else { return [] }
        contactorClosed = false
        return [.evse(.powerDelivery(on: false))]
    }
}
