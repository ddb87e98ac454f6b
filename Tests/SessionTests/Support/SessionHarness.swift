import Testing
import V2GSession

/// What the session tests share: messages through the wire format, the actions' sends and ends,
/// the EVCC's pacing carried out at once, the requests by short names.

/// Passes a message through the wire: EXI in a V2GTP frame, decoded with the set its payload type names.
func wire<SAP>(_ message: V2GMessage<SAP>) throws -> V2GMessage<SAP> {
    try V2GMessage<SAP>(frame: try message.frame())
}

extension Array where Element == EVCCAction {
    var sentRequest: V2GRequest? { compactMap { if case .send(let r) = $0 { return r }; return nil }.first }
    var ended: SessionEnd? { compactMap { if case .endSession(let e) = $0 { return e }; return nil }.first }
}

extension Array where Element == SECCAction {
    var sentResponse: V2GResponse? { compactMap { if case .send(let r) = $0 { return r }; return nil }.first }
    var ended: SessionEnd? { compactMap { if case .endSession(let e) = $0 { return e }; return nil }.first }
}

extension EVCCSession {
    /// `receive`, then the pacing timer fired at once (a runtime would wait for it).
    mutating func receivePaced(_ response: V2GResponse, ev: EVInputs) -> [EVCCAction] {
        let actions = receive(response, ev: ev)
        guard actions.contains(where: { if case .startTimer(.pacing, _) = $0 { return true }; return false }) else { return actions }
        return actions + timerExpired(.pacing, ev: ev)
    }
}

/// The requests by the short names the tests read best in.
extension MessageKind {
    static let sessionSetup = MessageKind.common(.sessionSetupReq)
    static let authorizationSetup = MessageKind.common(.authorizationSetupReq)
    static let authorization = MessageKind.common(.authorizationReq)
    static let serviceDiscovery = MessageKind.common(.serviceDiscoveryReq)
    static let serviceDetail = MessageKind.common(.serviceDetailReq)
    static let serviceSelection = MessageKind.common(.serviceSelectionReq)
    static let scheduleExchange = MessageKind.common(.scheduleExchangeReq)
    static let powerDelivery = MessageKind.common(.powerDeliveryReq)
    static let sessionStop = MessageKind.common(.sessionStopReq)
    static let dcChargeParameterDiscovery = MessageKind.dc(.dc_ChargeParameterDiscoveryReq)
    static let dcCableCheck = MessageKind.dc(.dc_CableCheckReq)
    static let dcPreCharge = MessageKind.dc(.dc_PreChargeReq)
    static let dcChargeLoop = MessageKind.dc(.dc_ChargeLoopReq)
    static let dcWeldingDetection = MessageKind.dc(.dc_WeldingDetectionReq)
    static let acChargeParameterDiscovery = MessageKind.ac(.ac_ChargeParameterDiscoveryReq)
    static let acChargeLoop = MessageKind.ac(.ac_ChargeLoopReq)
}
