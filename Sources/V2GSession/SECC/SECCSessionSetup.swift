import AppProtocol
import ISO20Common

/// supportedAppProtocol and SessionSetup: the protocol, a new SessionID or a resumed session.
extension SECCSession {
    mutating func negotiate(_ request: SupportedAppProtocolReq) -> [SECCAction] {
        let selection = AppProtocolNegotiation.select(request, supported: configuration.supportedProtocols)
        guard let selected = selection.selected else {
            return [.send(.supportedAppProtocol(selection.response))] + end(.noCommonProtocol, "EVCC offered none of our protocols")
        }
        state = .waitingForSessionSetup
        agreedProtocol = selected
        return [.send(.supportedAppProtocol(selection.response)), .protocolSelected(selected),
                .startTimer(.sequence, V2GTiming.seccSequenceTimeout)]
    }

    mutating func sessionSetup(_ m: SessionSetupReqType, _ evse: EVSEInputs) -> [SECCAction] {
        evccID = m.evccid
        // A resume: the old SessionID of a paused session, from the EVCC that paused it; it
        // continues with ChargeParameterDiscovery under the service selected before.
        if m.header.sessionID != SessionIDGenerator.zero,
           let paused = resumable.first(where: { $0.sessionID == m.header.sessionID && $0.evccID == m.evccid }),
           let module = SECCEnergyTransfers.module(for: paused.selectedService, configuration: configuration) {
            sessionID = paused.sessionID
            select(paused.selectedService, module)
            // The value-added services selected before the pause are provided again.
            selectedVAS = paused.valueAddedServices
            offeredVAS = paused.valueAddedServices.map(\.serviceID)
            let vas: [SECCAction] = selectedVAS.isEmpty ? [] : [.valueAddedServicesSelected(selectedVAS)]
            return [.resumed(paused)] + vas + respond(.common(.sessionSetupRes(SessionSetupResType(
                header: header(evse), responseCode: .ok_OldSessionJoined, evseid: configuration.evseID))))
        }
        // Otherwise a new session with a new SessionID ([V2G20-2626]).
        sessionID = makeSessionID()
        state = .waitingForAuthorizationSetup
        return respond(.common(.sessionSetupRes(SessionSetupResType(
            header: header(evse), responseCode: .ok_NewSessionEstablished, evseid: configuration.evseID))))
    }
}
