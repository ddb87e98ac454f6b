import AppProtocol
import EXI
import ISO20Common
import ISO20DC
import Testing
import V2GSession
import V2GTP

/// The SECC state machine without sockets or clocks: every rule of the common sequence.
@Suite struct SECCSessionTests {
    static let id: [UInt8] = [0x43, 0x5F, 0xC6, 0x9B, 0x67, 0xAC, 0xF6, 0x07]
    static let evse = EVSEInputs(authorized: true, timestamp: 1_795_542_185)

    static func session() -> SECCSession {
        SECCSession(configuration: SECCConfiguration(evseID: "DE*SWI*E1234567"), makeSessionID: { id })
    }

    static func header(_ sid: [UInt8] = id) -> MessageHeaderType { MessageHeaderType(sessionID: sid, timeStamp: 1_795_542_184) }

    /// Every response the machine sends must be a schema-valid EXI document.
    static func sent(_ actions: [SECCAction]) throws -> [V2GResponse] {
        let responses = actions.compactMap { a -> V2GResponse? in if case .send(let r) = a { return r }; return nil }
        for r in responses { _ = try r.document.encode() }
        return responses
    }

    static func ended(_ actions: [SECCAction]) -> SessionEnd.Reason? {
        for a in actions { if case .endSession(let e) = a { return e.reason } }
        return nil
    }

    static func responseCode(_ r: V2GResponse?) -> ISO20Common.ResponseCodeType? { r?.responseCode }

    static let sap = AppProtocolNegotiation.request(offering: [.iso20AC, .iso20DC])

    /// Drives a session to the state after ServiceSelection.
    static func toChargeParameterDiscovery(_ s: inout SECCSession) throws {
        _ = s.receive(.supportedAppProtocol(sap), evse: evse)
        _ = s.receive(.common(.sessionSetupReq(SessionSetupReqType(header: header(SessionIDGenerator.zero), evccid: "WMIV1234567890ABCDEX"))), evse: evse)
        _ = s.receive(.common(.authorizationSetupReq(AuthorizationSetupReqType(header: header()))), evse: evse)
        _ = s.receive(.common(.authorizationReq(AuthorizationReqType(header: header(), selectedAuthorizationService: .eim,
                                                                      aReqAuthorizationMode: .eim_AReqAuthorizationMode(EIM_AReqAuthorizationModeType())))), evse: evse)
        _ = s.receive(.common(.serviceDiscoveryReq(ServiceDiscoveryReqType(header: header()))), evse: evse)
        _ = s.receive(.common(.serviceSelectionReq(ServiceSelectionReqType(
            header: header(), selectedEnergyTransferService: SelectedServiceType(serviceID: 2, parameterSetID: 2)))), evse: evse)
    }

    @Test func appProtocolSelectsTheHighestRankedSupportedProtocol() {
        let offer = AppProtocolNegotiation.request(offering: [.iso20AC, .iso20DC])
        let pick = AppProtocolNegotiation.select(offer, supported: [.iso20DC])
        #expect(pick.selected == .iso20DC)
        #expect(pick.response.responseCode == .ok_SuccessfulNegotiation)
        #expect(pick.response.schemaID == 2)
        #expect(AppProtocolNegotiation.agreed(pick.response, to: offer) == .iso20DC)
        let minor = AppProtocolNegotiation.select(AppProtocolNegotiation.request(offering: [V2GProtocol(namespace: V2GProtocol.iso20DC.namespace, major: 1, minor: 1)]),
                                                  supported: [.iso20DC])
        #expect(minor.response.responseCode == .ok_SuccessfulNegotiationWithMinorDeviation)
        let none = AppProtocolNegotiation.select(AppProtocolNegotiation.request(offering: [.iso20WPT]), supported: [.iso20DC])
        #expect(none.selected == nil)
        #expect(none.response.responseCode == .failed_NoNegotiation)
        #expect(none.response.schemaID == nil)
    }

    @Test func noCommonProtocolEndsTheSession() throws {
        var s = Self.session()
        let actions = s.receive(.supportedAppProtocol(AppProtocolNegotiation.request(offering: [.iso20WPT])), evse: Self.evse)
        #expect(try Self.sent(actions).count == 1)
        #expect(Self.ended(actions) == .noCommonProtocol)
    }

    @Test func commonSequenceUpToServiceSelection() throws {
        var s = Self.session()
        var a = s.receive(.supportedAppProtocol(Self.sap), evse: Self.evse)
        #expect(a.contains(.protocolSelected(.iso20DC)))
        #expect(a.contains(.startTimer(.sequence, .seconds(60))))
        a = s.receive(.common(.sessionSetupReq(SessionSetupReqType(header: Self.header(SessionIDGenerator.zero), evccid: "WMIV1234567890ABCDEX"))), evse: Self.evse)
        guard case .common(.sessionSetupRes(let setup))? = try Self.sent(a).first else { Issue.record("no SessionSetupRes"); return }
        #expect(setup.responseCode == .ok_NewSessionEstablished)
        #expect(setup.header.sessionID == Self.id)
        #expect(setup.evseid == "DE*SWI*E1234567")
        #expect(setup.header.timeStamp == Self.evse.timestamp)

        a = s.receive(.common(.authorizationSetupReq(AuthorizationSetupReqType(header: Self.header()))), evse: Self.evse)
        #expect(Self.responseCode(try Self.sent(a).first) == .ok)

        // EIM: Ongoing until the charger authorizes, then Finished.
        let auth = V2GRequest.common(.authorizationReq(AuthorizationReqType(
            header: Self.header(), selectedAuthorizationService: .eim, aReqAuthorizationMode: .eim_AReqAuthorizationMode(EIM_AReqAuthorizationModeType()))))
        a = s.receive(auth, evse: EVSEInputs(authorized: false, timestamp: 1))
        guard case .common(.authorizationRes(let pending))? = try Self.sent(a).first else { Issue.record("no AuthorizationRes"); return }
        #expect(pending.evseProcessing == .ongoing)
        #expect(s.state == .waitingForAuthorization)
        a = s.receive(auth, evse: Self.evse)
        guard case .common(.authorizationRes(let done))? = try Self.sent(a).first else { Issue.record("no AuthorizationRes"); return }
        #expect(done.evseProcessing == .finished)

        a = s.receive(.common(.serviceDiscoveryReq(ServiceDiscoveryReqType(header: Self.header()))), evse: Self.evse)
        guard case .common(.serviceDiscoveryRes(let discovery))? = try Self.sent(a).first else { Issue.record("no ServiceDiscoveryRes"); return }
        #expect(discovery.energyTransferServiceList.service.map(\.serviceID) == [2, 6])

        a = s.receive(.common(.serviceDetailReq(ServiceDetailReqType(header: Self.header(), serviceID: 6))), evse: Self.evse)
        guard case .common(.serviceDetailRes(let detail))? = try Self.sent(a).first else { Issue.record("no ServiceDetailRes"); return }
        #expect(detail.serviceParameterList.parameterSet.count == 2)
        #expect(detail.serviceParameterList.parameterSet[0].parameter.contains { $0.name == "BPTChannel" })

        a = s.receive(.common(.serviceSelectionReq(ServiceSelectionReqType(
            header: Self.header(), selectedEnergyTransferService: SelectedServiceType(serviceID: 6, parameterSetID: 2)))), evse: Self.evse)
        #expect(Self.responseCode(try Self.sent(a).first) == .ok)
        #expect(s.state == .energyTransfer(.dcChargeParameterDiscovery))
        #expect(s.selectedService == SelectedServiceType(serviceID: 6, parameterSetID: 2))
    }

    @Test(arguments: [
        // After SessionSetup only AuthorizationSetup (or SessionStop) may come.
        CommonMessagesDocument.Message.serviceDiscoveryReq, .authorizationReq, .serviceSelectionReq,
    ])
    func outOfSequenceRequestGetsSequenceError(kind: CommonMessagesDocument.Message) throws {
        var s = Self.session()
        _ = s.receive(.supportedAppProtocol(Self.sap), evse: Self.evse)
        _ = s.receive(.common(.sessionSetupReq(SessionSetupReqType(header: Self.header(SessionIDGenerator.zero), evccid: "WMIV1234567890ABCDEX"))), evse: Self.evse)
        let request: V2GRequest
        switch kind {
        case .serviceDiscoveryReq: request = .common(.serviceDiscoveryReq(ServiceDiscoveryReqType(header: Self.header())))
        case .authorizationReq:
            request = .common(.authorizationReq(AuthorizationReqType(header: Self.header(), selectedAuthorizationService: .eim,
                                                                      aReqAuthorizationMode: .eim_AReqAuthorizationMode(EIM_AReqAuthorizationModeType()))))
        default:
            request = .common(.serviceSelectionReq(ServiceSelectionReqType(header: Self.header(),
                                                                             selectedEnergyTransferService: SelectedServiceType(serviceID: 2, parameterSetID: 1))))
        }
        let a = s.receive(request, evse: Self.evse)
        #expect(Self.responseCode(try Self.sent(a).first) == .failed_SequenceError)
        #expect(Self.ended(a) == .failed(.failed_SequenceError))
        #expect(s.state == .ended)
        #expect(s.receive(request, evse: Self.evse).isEmpty, "an ended session answers nothing")
    }

    @Test func sessionSetupTwiceIsASequenceError() throws {
        var s = Self.session()
        _ = s.receive(.supportedAppProtocol(Self.sap), evse: Self.evse)
        let setup = V2GRequest.common(.sessionSetupReq(SessionSetupReqType(header: Self.header(SessionIDGenerator.zero), evccid: "WMIV1234567890ABCDEX")))
        _ = s.receive(setup, evse: Self.evse)
        let a = s.receive(setup, evse: Self.evse)
        #expect(Self.responseCode(try Self.sent(a).first) == .failed_SequenceError)
    }

    @Test func unknownSessionIDIsRefused() throws {
        var s = Self.session()
        _ = s.receive(.supportedAppProtocol(Self.sap), evse: Self.evse)
        _ = s.receive(.common(.sessionSetupReq(SessionSetupReqType(header: Self.header(SessionIDGenerator.zero), evccid: "WMIV1234567890ABCDEX"))), evse: Self.evse)
        let a = s.receive(.common(.authorizationSetupReq(AuthorizationSetupReqType(header: Self.header([9, 9, 9, 9, 9, 9, 9, 9])))), evse: Self.evse)
        #expect(Self.responseCode(try Self.sent(a).first) == .failed_UnknownSession)
        #expect(Self.ended(a) == .failed(.failed_UnknownSession))
    }

    @Test func invalidServiceIDAndParameterSetAreRefused() throws {
        var s = Self.session()
        _ = s.receive(.supportedAppProtocol(Self.sap), evse: Self.evse)
        _ = s.receive(.common(.sessionSetupReq(SessionSetupReqType(header: Self.header(SessionIDGenerator.zero), evccid: "WMIV1234567890ABCDEX"))), evse: Self.evse)
        _ = s.receive(.common(.authorizationSetupReq(AuthorizationSetupReqType(header: Self.header()))), evse: Self.evse)
        _ = s.receive(.common(.authorizationReq(AuthorizationReqType(header: Self.header(), selectedAuthorizationService: .eim,
                                                                      aReqAuthorizationMode: .eim_AReqAuthorizationMode(EIM_AReqAuthorizationModeType())))), evse: Self.evse)
        _ = s.receive(.common(.serviceDiscoveryReq(ServiceDiscoveryReqType(header: Self.header()))), evse: Self.evse)
        var t = s
        let detail = t.receive(.common(.serviceDetailReq(ServiceDetailReqType(header: Self.header(), serviceID: 1))), evse: Self.evse)
        #expect(Self.responseCode(try Self.sent(detail).first) == .failed_ServiceIDInvalid)
        #expect(Self.ended(detail) == .failed(.failed_ServiceIDInvalid))
        let selection = s.receive(.common(.serviceSelectionReq(ServiceSelectionReqType(
            header: Self.header(), selectedEnergyTransferService: SelectedServiceType(serviceID: 2, parameterSetID: 9)))), evse: Self.evse)
        #expect(Self.responseCode(try Self.sent(selection).first) == .failed_ServiceSelectionInvalid)
    }

    @Test func sequenceTimeoutAndVanishingPeerEndTheSession() throws {
        var s = Self.session()
        try Self.toChargeParameterDiscovery(&s)
        var t = s
        #expect(Self.ended(s.timerExpired(.sequence)) == .sequenceTimeout)
        #expect(s.timerExpired(.sequence).isEmpty)
        #expect(Self.ended(t.connectionLost()) == .connectionLost)
    }

    /// A peer that connects and says nothing: the sequence timer runs from the connection on.
    @Test func silentConnectionTimesOut() {
        var s = Self.session()
        #expect(s.connectionOpened() == [.startTimer(.sequence, V2GTiming.seccSequenceTimeout)])
        #expect(Self.ended(s.timerExpired(.sequence)) == .sequenceTimeout)
        #expect(s.connectionOpened().isEmpty, "only a fresh session waits for its first request")
    }

    @Test func sessionStopTerminates() throws {
        var s = Self.session()
        try Self.toChargeParameterDiscovery(&s)
        let a = s.receive(.common(.sessionStopReq(SessionStopReqType(header: Self.header(), chargingSession: .terminate))), evse: Self.evse)
        #expect(Self.responseCode(try Self.sent(a).first) == .ok)
        #expect(Self.ended(a) == .terminated)
    }

    /// The engine decodes frames itself: a request that does not decode ends the session as
    /// malformedRequest, answered FAILED when its root names the request it was meant to be.
    @Test func undecodableFrameEndsTheSessionWithFailed() throws {
        var s = Self.session()
        try Self.toChargeParameterDiscovery(&s)
        let full = try V2GRequest.dc(.dc_ChargeParameterDiscoveryReq(SECCDCSessionTests.cpdRequest(Self.header()))).frame()
        let cut = V2GTPFrame(payloadType: full.payloadType, payload: Array(full.payload.prefix(3)))
        let a = s.receive(frame: cut, evse: Self.evse)
        #expect(a.ended?.reason == .malformedRequest)
        guard case .dc(.dc_ChargeParameterDiscoveryRes(let res))? = a.sentResponse else { Issue.record("no FAILED answer"); return }
        #expect(res.responseCode == .failed)
        #expect(s.state == .ended)
        #expect(s.receive(frame: full, evse: Self.evse).isEmpty, "an ended session answers nothing")

        // No EXI header, or a payload type that carries no main-stream message: ended, nothing to answer.
        for frame in [V2GTPFrame(payloadType: 0x8004, payload: [0x00, 0x01]), V2GTPFrame(payloadType: 0x9000, payload: [0x10, 0x00])] {
            var t = Self.session()
            try Self.toChargeParameterDiscovery(&t)
            let b = t.receive(frame: frame, evse: Self.evse)
            #expect(b.ended?.reason == .malformedRequest)
            #expect(b.sentResponse == nil)
        }
    }

    @Test func sessionIDsAreRandomNonZeroEightBytes() {
        let ids = (0..<100).map { _ in SessionIDGenerator.random() }
        #expect(ids.allSatisfy { $0.count == 8 && $0 != SessionIDGenerator.zero })
        #expect(Set(ids).count == 100)
    }
}
