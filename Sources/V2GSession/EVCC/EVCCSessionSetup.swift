import AppProtocol
import ISO20Common

/// supportedAppProtocol and SessionSetup: the protocol, a new session or the resumed one.
extension EVCCSession {
    mutating func appProtocolAgreed(_ res: SupportedAppProtocolRes, _ ev: EVInputs) -> [EVCCAction] {
        guard let request = sapRequest, let agreed = AppProtocolNegotiation.agreed(res, to: request) else {
            return end(.noCommonProtocol, "the SECC supports none of our protocols")
        }
        agreedProtocol = agreed
        return send(.common(.sessionSetupReq(SessionSetupReqType(header: header(ev), evccid: configuration.evccID))), ev)
    }

    mutating func sessionSetupAnswered(_ m: SessionSetupResType, _ ev: EVInputs) -> [EVCCAction] {
        let setupDone: [EVCCAction] = [.cancelTimer(.communicationSetup)]
        if m.responseCode == .ok_OldSessionJoined, let resume = configuration.resume, m.header.sessionID == resume.sessionID,
           let module = EVCCEnergyTransfers.module(for: resume.selectedService, configuration: configuration) {
            // Resumed: straight to ChargeParameterDiscovery under the service selected before.
            service = resume.selectedService
            energyTransfer = module
            selectedVAS = resume.valueAddedServices
            reportedVAS = selectedVAS
            let vas: [EVCCAction] = selectedVAS.isEmpty ? [] : [.valueAddedServicesSelected(selectedVAS)]
            return setupDone + vas + chargeParameterDiscovery(ev)
        }
        sessionID = m.header.sessionID
        return setupDone + send(.common(.authorizationSetupReq(AuthorizationSetupReqType(header: header(ev)))), ev)
    }
}
