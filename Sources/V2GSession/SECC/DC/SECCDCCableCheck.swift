import ISO20Common
import ISO20DC

extension SECCDCEnergyTransfer {
    /// DC_CableCheck: the first request starts the isolation test; the EV repeats it while it runs
    /// (Ongoing); a valid result moves on to pre-charge, a fault ends the session.
    /// The EV is in CP state C or D by now ([V2G20-912]); if the charger does not read it, the
    /// cable check fails ([V2G20-916]–[V2G20-918]).
    mutating func cableCheck(_ x: SECCExchange) -> SECCOutcome {
        guard x.evse.controlPilot.readyForPower else {
            return .fail(.failed, "DC_CableCheckReq with the control pilot in state \(x.evse.controlPilot.rawValue), not C or D")
        }
        let start: [EVSECommand] = cableCheckStarted ? [] : [.dc(.startCableCheck)]
        func answer(_ processing: ProcessingType) -> V2GResponse {
            .dc(.dc_CableCheckRes(DC_CableCheckResType(header: x.header, responseCode: .ok, evseProcessing: processing)))
        }
        if x.evse.dc.isolation != .fault { cableCheckStarted = true }
        switch x.evse.dc.isolation {
        case .checking: return .respond(answer(.ongoing), commands: start)
        case .valid: return .respond(answer(.finished), commands: start)
        case .fault: return .fail(.failed, "isolation fault on the DC output")
        }
    }
}
