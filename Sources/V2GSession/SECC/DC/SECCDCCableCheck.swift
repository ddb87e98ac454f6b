import ISO20Common
import ISO20DC

extension SECCDCEnergyTransfer {
    /// DC_CableCheck: the first request starts the isolation test; the EV repeats it while it runs
    /// (Ongoing); a valid result moves on to pre-charge, a fault ends the session.
    mutating func cableCheck(_ x: SECCExchange) -> SECCOutcome {
        let start: [EVSECommand] = cableCheckStarted ? [] : [.dc(.startCableCheck)]
        func answer(_ processing: ProcessingType) -> V2GResponse {
            .dc(.dc_CableCheckRes(DC_CableCheckResType(header: x.header, responseCode: .ok, evseProcessing: processing)))
        }
        if x.evse.dc.isolation != .fault { cableCheckStarted = true }
        switch x.evse.dc.isolation {
        case .checking: return .respond(answer(.ongoing), commands: start)
        case .valid: return .respond(answer(.finished), next: .energyTransfer(.dcPreCharge), commands: start)
        case .fault: return .fail(.failed, "isolation fault on the DC output")
        }
    }
}
