import AppProtocol
import EXI
import ISO20Common
import ISO20DC
import Testing
import TestSupport
import V2GSession
import V2GSimulation
import V2GTP

/// The SECC's sequence rules: what each state accepts, FAILED_SequenceError, the sequence timer,
/// malformed input, SessionStop.
@Suite(.offPool) struct SequenceTests {
    typealias T = Fixtures

    @Test func commonSequenceUpToServiceSelection() throws {
        var s = T.session()
        var a = s.receive(.supportedAppProtocol(T.sap), evse: T.evse)
        #expect(a.contains(.protocolSelected(.iso20DC)))
        #expect(a.contains(.startTimer(.sequence, .seconds(60))))
        a = s.receive(.common(.sessionSetupReq(SessionSetupReqType(header: T.header(SessionIDGenerator.zero), evccid: "WMIV1234567890ABCDEX"))), evse: T.evse)
        guard case .common(.sessionSetupRes(let setup))? = try T.sent(a).first else { Issue.record("no SessionSetupRes"); return }
        #expect(setup.responseCode == .ok_NewSessionEstablished)
        #expect(setup.header.sessionID == T.id)
        #expect(setup.evseid == "DE*SWI*E1234567")
        #expect(setup.header.timeStamp == T.evse.timestamp)

        a = s.receive(.common(.authorizationSetupReq(AuthorizationSetupReqType(header: T.header()))), evse: T.evse)
        #expect(T.responseCode(try T.sent(a).first) == .ok)

        // EIM: Ongoing until the charger authorizes, then Finished.
        let auth = V2GRequest.common(.authorizationReq(AuthorizationReqType(
            header: T.header(), selectedAuthorizationService: .eim, aReqAuthorizationMode: .eim_AReqAuthorizationMode(EIM_AReqAuthorizationModeType()))))
        a = s.receive(auth, evse: EVSEInputs(authorized: false, timestamp: 1))
        guard case .common(.authorizationRes(let pending))? = try T.sent(a).first else { Issue.record("no AuthorizationRes"); return }
        #expect(pending.evseProcessing == .ongoing)
        #expect(s.state == .waitingForAuthorization)
        a = s.receive(auth, evse: T.evse)
        guard case .common(.authorizationRes(let done))? = try T.sent(a).first else { Issue.record("no AuthorizationRes"); return }
        #expect(done.evseProcessing == .finished)

        a = s.receive(.common(.serviceDiscoveryReq(ServiceDiscoveryReqType(header: T.header()))), evse: T.evse)
        guard case .common(.serviceDiscoveryRes(let discovery))? = try T.sent(a).first else { Issue.record("no ServiceDiscoveryRes"); return }
        #expect(discovery.energyTransferServiceList.service.map(\.serviceID) == [2, 6])

        a = s.receive(.common(.serviceDetailReq(ServiceDetailReqType(header: T.header(), serviceID: 6))), evse: T.evse)
        guard case .common(.serviceDetailRes(let detail))? = try T.sent(a).first else { Issue.record("no ServiceDetailRes"); return }
        #expect(detail.serviceParameterList.parameterSet.count == 2)
        #expect(detail.serviceParameterList.parameterSet[0].parameter.contains { $0.name == "BPTChannel" })

        a = s.receive(.common(.serviceSelectionReq(ServiceSelectionReqType(
            header: T.header(), selectedEnergyTransferService: SelectedServiceType(serviceID: 6, parameterSetID: 2)))), evse: T.evse)
        #expect(T.responseCode(try T.sent(a).first) == .ok)
        #expect(s.state == .energyTransfer(.dcChargeParameterDiscovery))
        #expect(s.selectedService == SelectedServiceType(serviceID: 6, parameterSetID: 2))
    }

    @Test(arguments: [
        // After SessionSetup only AuthorizationSetup (or SessionStop) may come.
        CommonMessagesDocument.Message.serviceDiscoveryReq, .authorizationReq, .serviceSelectionReq,
    ])
    func outOfSequenceRequestGetsSequenceError(kind: CommonMessagesDocument.Message) throws {
        var s = T.session()
        _ = s.receive(.supportedAppProtocol(T.sap), evse: T.evse)
        _ = s.receive(.common(.sessionSetupReq(SessionSetupReqType(header: T.header(SessionIDGenerator.zero), evccid: "WMIV1234567890ABCDEX"))), evse: T.evse)
        let request: V2GRequest
        switch kind {
        case .serviceDiscoveryReq: request = .common(.serviceDiscoveryReq(ServiceDiscoveryReqType(header: T.header())))
        case .authorizationReq:
            request = .common(.authorizationReq(AuthorizationReqType(header: T.header(), selectedAuthorizationService: .eim,
                                                                      aReqAuthorizationMode: .eim_AReqAuthorizationMode(EIM_AReqAuthorizationModeType()))))
        default:
            request = .common(.serviceSelectionReq(ServiceSelectionReqType(header: T.header(),
                                                                             selectedEnergyTransferService: SelectedServiceType(serviceID: 2, parameterSetID: 1))))
        }
        let a = s.receive(request, evse: T.evse)
        #expect(T.responseCode(try T.sent(a).first) == .failed_SequenceError)
        #expect(T.ended(a) == .failed(.failed_SequenceError))
        #expect(s.state == .ended)
        #expect(s.receive(request, evse: T.evse).isEmpty, "an ended session answers nothing")
    }

    @Test func sequenceTimeoutAndVanishingPeerEndTheSession() throws {
        var s = T.session()
        try T.toChargeParameterDiscovery(&s)
        var t = s
        #expect(T.ended(s.timerExpired(.sequence, evse: T.evse)) == .sequenceTimeout)
        #expect(s.timerExpired(.sequence, evse: T.evse).isEmpty)
        #expect(T.ended(t.connectionLost()) == .connectionLost)
    }

    /// A peer that connects and says nothing: the sequence timer runs from the connection on.
    @Test func silentConnectionTimesOut() {
        var s = T.session()
        #expect(s.connectionOpened() == [.startTimer(.sequence, V2GTiming.seccSequenceTimeout)])
        #expect(T.ended(s.timerExpired(.sequence, evse: T.evse)) == .sequenceTimeout)
        #expect(s.connectionOpened().isEmpty, "only a fresh session waits for its first request")
    }

    /// The engine decodes frames itself: a request that does not decode ends the session as
    /// malformedRequest, answered FAILED when its root names the request it was meant to be.
    @Test func undecodableFrameEndsTheSessionWithFailed() throws {
        var s = T.session()
        try T.toChargeParameterDiscovery(&s)
        let full = try V2GRequest.dc(.dc_ChargeParameterDiscoveryReq(T.cpdRequest(T.header()))).frame()
        let cut = V2GTPFrame(payloadType: full.payloadType, payload: Array(full.payload.prefix(3)))
        let a = s.receive(frame: cut, evse: T.evse)
        #expect(a.ended?.reason == .malformedRequest)
        guard case .dc(.dc_ChargeParameterDiscoveryRes(let res))? = a.sentResponse else { Issue.record("no FAILED answer"); return }
        #expect(res.responseCode == .failed)
        #expect(s.state == .ended)
        #expect(s.receive(frame: full, evse: T.evse).isEmpty, "an ended session answers nothing")

        // No EXI header, or a payload type that carries no main-stream message: ended, nothing to answer.
        for frame in [V2GTPFrame(payloadType: 0x8004, payload: [0x00, 0x01]), V2GTPFrame(payloadType: 0x9000, payload: [0x10, 0x00])] {
            var t = T.session()
            try T.toChargeParameterDiscovery(&t)
            let b = t.receive(frame: frame, evse: T.evse)
            #expect(b.ended?.reason == .malformedRequest)
            #expect(b.sentResponse == nil)
        }
    }

    @Test func sessionStopTerminates() throws {
        var s = T.session()
        try T.toChargeParameterDiscovery(&s)
        let a = s.receive(.common(.sessionStopReq(SessionStopReqType(header: T.header(), chargingSession: .terminate))), evse: T.evse)
        #expect(T.responseCode(try T.sent(a).first) == .ok)
        #expect(T.ended(a) == .terminated)
    }
}
