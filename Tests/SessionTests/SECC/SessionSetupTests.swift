import AppProtocol
import EXI
import ISO20Common
import ISO20DC
import Testing
import TestSupport
import V2GSession
import V2GSimulation
import V2GTP

/// supportedAppProtocol and SessionSetup: protocol negotiation, SessionIDs, resuming a paused session
/// ([V2G20-169], [V2G20-2621], [V2G20-2545], [V2G20-2626]).
@Suite(.offPool) struct SessionSetupTests {
    typealias T = Fixtures

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
        var s = T.session()
        let actions = s.receive(.supportedAppProtocol(AppProtocolNegotiation.request(offering: [.iso20WPT])), evse: T.evse)
        #expect(try T.sent(actions).count == 1)
        #expect(T.ended(actions) == .noCommonProtocol)
    }

    @Test func sessionSetupTwiceIsASequenceError() throws {
        var s = T.session()
        _ = s.receive(.supportedAppProtocol(T.sap), evse: T.evse)
        let setup = V2GRequest.common(.sessionSetupReq(SessionSetupReqType(header: T.header(SessionIDGenerator.zero), evccid: "WMIV1234567890ABCDEX")))
        _ = s.receive(setup, evse: T.evse)
        let a = s.receive(setup, evse: T.evse)
        #expect(T.responseCode(try T.sent(a).first) == .failed_SequenceError)
    }

    @Test func unknownSessionIDIsRefused() throws {
        var s = T.session()
        _ = s.receive(.supportedAppProtocol(T.sap), evse: T.evse)
        _ = s.receive(.common(.sessionSetupReq(SessionSetupReqType(header: T.header(SessionIDGenerator.zero), evccid: "WMIV1234567890ABCDEX"))), evse: T.evse)
        let a = s.receive(.common(.authorizationSetupReq(AuthorizationSetupReqType(header: T.header([9, 9, 9, 9, 9, 9, 9, 9])))), evse: T.evse)
        #expect(T.responseCode(try T.sent(a).first) == .failed_UnknownSession)
        #expect(T.ended(a) == .failed(.failed_UnknownSession))
    }

    @Test func sessionIDsAreRandomNonZeroEightBytes() {
        let ids = (0..<100).map { _ in SessionIDGenerator.random() }
        #expect(ids.allSatisfy { $0.count == 8 && $0 != SessionIDGenerator.zero })
        #expect(Set(ids).count == 100)
    }

    /// SessionSetup with a paused SessionID: joined only by the EVCC that paused it, and only with
    /// an ID that was paused here; anything else is a new session with a new ID.
    @Test func resumeIsCheckedAgainstThePausedSession() throws {
        let paused = PausedSession(sessionID: [9, 8, 7, 6, 5, 4, 3, 2], evccID: T.evccID,
                                   selectedService: SelectedServiceType(serviceID: 2, parameterSetID: 2))
        func setup(id: ShortBinary, evccID: String) -> (SECCSession, [SECCAction]) {
            var s = SECCSession(configuration: T.seccConfiguration(), resumable: [paused], makeSessionID: { T.id })
            _ = s.receive(.supportedAppProtocol(T.sap), evse: T.evse)
            let a = s.receive(.common(.sessionSetupReq(SessionSetupReqType(header: T.header(id), evccid: evccID))), evse: T.evse)
            return (s, a)
        }
        var (s, a) = setup(id: paused.sessionID, evccID: T.evccID)
        #expect(T.responseCode(try T.response(a)) == .ok_OldSessionJoined)
        #expect(a.contains(.resumed(paused)))
        #expect(s.state == .energyTransfer(.dcChargeParameterDiscovery))
        // After a resume, authorization is out of sequence.
        a = s.receive(.common(.authorizationSetupReq(AuthorizationSetupReqType(header: T.header(paused.sessionID)))), evse: T.evse)
        #expect(T.ended(a) == .failed(.failed_SequenceError))

        (s, a) = setup(id: paused.sessionID, evccID: "WMIV0000000000OTHER")
        #expect(T.responseCode(try T.response(a)) == .ok_NewSessionEstablished, "another EVCC cannot join the paused session")
        #expect(s.sessionID == T.id)
        #expect(s.state == .waitingForAuthorizationSetup)

        (s, a) = setup(id: [1, 1, 1, 1, 1, 1, 1, 1], evccID: T.evccID)
        #expect(T.responseCode(try T.response(a)) == .ok_NewSessionEstablished)
        #expect(s.sessionID == T.id)
    }
}
