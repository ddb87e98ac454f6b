import AppProtocol
import EXI
import ISO20Common
import ISO20DC
import Testing
import TestSupport
import V2GSession
import V2GSimulation
import V2GTP

/// The EVCC's timers: V2G_EVCC_Msg_Timeout per request, CommunicationSetup, and the overall phase
/// timeouts on simulated time (minutes of protocol time in milliseconds).
@Suite(.offPool) struct EVCCTimeoutTests {
    typealias T = Fixtures

    /// Runs a pair on the simulated plant with the charger stuck as `stuck` makes it, each exchange
    /// taking `step` of simulated time; how the EVCC ended, and when.
    static func run(step: Duration, stuck: @escaping (inout EVSEInputs) -> Void) throws -> (SessionEnd?, Duration) {
        var pair = SessionPair()
        pair.exchangeTime = step
        pair.charger = { _, _, inputs in stuck(&inputs) }
        let out = try pair.run()
        return (out.evcc, pair.clock.now)
    }

    @Test func cableCheckThatNeverFinishesTimesOutAfter40Seconds() throws {
        let (end, t) = try Self.run(step: .milliseconds(500)) { $0.dc.isolation = .checking }
        #expect(end?.reason == .phaseTimeout)
        #expect(end?.detail.contains("DC_CableCheckReq") == true)
        #expect(t > .seconds(40) && t < .seconds(50), "\(t) of simulated time, including the phases before")
    }

    @Test func authorizationThatStaysOngoingTimesOutAfter60Seconds() throws {
        let (end, t) = try Self.run(step: .seconds(1)) { $0.authorized = false }
        #expect(end?.reason == .phaseTimeout)
        #expect(end?.detail.contains("AuthorizationReq") == true)
        #expect(t > .seconds(60) && t < .seconds(70))
    }

    @Test func preChargeThatNeverReachesTheBatteryTimesOutAfter10Seconds() throws {
        // The charger's output stays at 0 V, so pre-charge never ends.
        let (end, t) = try Self.run(step: .milliseconds(250)) { $0.dc.presentVoltage = 0 }
        #expect(end?.reason == .phaseTimeout)
        #expect(end?.detail.contains("DC_PreChargeReq") == true)
        #expect(t > .seconds(10) && t < .seconds(15), "\(t) of simulated time, including the phases before")
    }

    @Test func slowCommunicationSetupTimesOutAfter20Seconds() {
        var evcc = EVCCSession(configuration: EVCCConfiguration(evccID: "WMIV1234567890ABCDEX"))
        var ev = EVInputs()
        _ = evcc.start(ev: ev)
        ev.elapsed = .seconds(21)
        let a = evcc.receive(.supportedAppProtocol(.init(responseCode: .ok_SuccessfulNegotiation, schemaID: 1)), ev: ev)
        guard let e = a.ended else { Issue.record("no timeout"); return }
        #expect(e.reason == .phaseTimeout)
    }

    @Test func evccTimeoutsAndFailures() throws {
        var evcc = EVCCSession(configuration: EVCCConfiguration(evccID: "WMIV1234567890ABCDEX"))
        let start = evcc.start(ev: EVInputs())
        #expect(start.contains(.startTimer(.response, .seconds(2))))
        let t = evcc.timerExpired(.response, ev: EVInputs())
        guard case .endSession(let e)? = t.first else { Issue.record("no end"); return }
        #expect(e.reason == .responseTimeout)
        // A FAILED response ends the session on the EVCC side too.
        var e2 = EVCCSession(configuration: EVCCConfiguration(evccID: "WMIV1234567890ABCDEX"))
        _ = e2.start(ev: EVInputs())
        _ = e2.receive(.supportedAppProtocol(SupportedAppProtocolRes(responseCode: .ok_SuccessfulNegotiation, schemaID: 1)), ev: EVInputs())
        let f = e2.receive(.common(.sessionSetupRes(SessionSetupResType(
            header: MessageHeaderType(sessionID: [1, 2, 3, 4, 5, 6, 7, 8], timeStamp: 0), responseCode: .failed, evseid: "X"))), ev: EVInputs())
        guard let e3 = f.ended else { Issue.record("no end"); return }
        #expect(e3.reason == .failed(.failed))
    }

    /// Any FAILED code ends the EVCC's session with that code, even on a response of another kind
    /// than the one awaited.
    @Test func failedCodeEndsTheSessionWhateverTheResponse() throws {
        var evcc = EVCCSession(configuration: EVCCConfiguration(evccID: "WMIV1234567890ABCDEX"))
        _ = evcc.start(ev: EVInputs())
        _ = evcc.receive(.supportedAppProtocol(SupportedAppProtocolRes(responseCode: .ok_SuccessfulNegotiation, schemaID: 1)), ev: EVInputs())
        let a = evcc.receive(.common(.sessionStopRes(SessionStopResType(
            header: MessageHeaderType(sessionID: [1, 2, 3, 4, 5, 6, 7, 8], timeStamp: 0), responseCode: .failed_SequenceError))), ev: EVInputs())
        #expect(a.ended?.reason == .failed(.failed_SequenceError))
    }

    /// While a request waits for its pacing timer nothing has been sent, so a response then is not
    /// an answer: the session ends, and the paced request is never sent.
    @Test func responseDuringPacingIsUnexpected() throws {
        var evcc = EVCCSession(configuration: EVCCConfiguration(evccID: "WMIV1234567890ABCDEX"))
        let header = MessageHeaderType(sessionID: [1, 2, 3, 4, 5, 6, 7, 8], timeStamp: 1)
        _ = evcc.start(ev: EVInputs())
        _ = evcc.receive(.supportedAppProtocol(SupportedAppProtocolRes(responseCode: .ok_SuccessfulNegotiation, schemaID: 1)), ev: EVInputs())
        _ = evcc.receive(.common(.sessionSetupRes(SessionSetupResType(header: header, responseCode: .ok_NewSessionEstablished, evseid: "X"))),
                         ev: EVInputs())
        let first = evcc.receive(.common(.authorizationSetupRes(AuthorizationSetupResType(
            header: header, responseCode: .ok, authorizationServices: [.eim], certificateInstallationService: false,
            asResAuthorizationMode: .eim_ASResAuthorizationMode(EIM_ASResAuthorizationModeType())))), ev: EVInputs())
        #expect(first.sentRequest?.kind == .authorization, "the first AuthorizationReq goes at once")
        // The charger answers Ongoing: the EVCC paces its repeat.
        let ongoing = V2GResponse.common(.authorizationRes(AuthorizationResType(header: header, responseCode: .ok, evseProcessing: .ongoing)))
        let paced = evcc.receive(ongoing, ev: EVInputs())
        #expect(paced.contains(.startTimer(.pacing, EVCCPolicy().ongoingInterval)))
        #expect(paced.sentRequest == nil)
        let early = evcc.receive(ongoing, ev: EVInputs())
        #expect(early.ended?.reason == .unexpectedResponse)
        #expect(early.contains(.cancelTimer(.pacing)))
        #expect(evcc.timerExpired(.pacing, ev: EVInputs()).isEmpty, "the paced request is dropped with the session")
    }

    /// V2G_EVCC_CommunicationSetup_Timeout: the runtime's timer from the TCP connection ends a
    /// session still in setup (handshake, supportedAppProtocol, SessionSetup), and nothing later.
    @Test func communicationSetupTimeout() {
        var stalled = EVCCSession(configuration: EVCCConfiguration(evccID: "WMIV1234567890ABCDEX"))
        guard case .endSession(let e)? = stalled.timerExpired(.communicationSetup, ev: EVInputs()).first else { Issue.record("no end"); return }
        #expect(e.reason == .phaseTimeout)
        var started = EVCCSession(configuration: EVCCConfiguration(evccID: "WMIV1234567890ABCDEX"))
        _ = started.start(ev: EVInputs())
        #expect(started.timerExpired(.communicationSetup, ev: EVInputs()).count == 1)
        var running = EVCCSession(configuration: EVCCConfiguration(evccID: "WMIV1234567890ABCDEX"))
        _ = running.start(ev: EVInputs())
        _ = running.receive(.supportedAppProtocol(SupportedAppProtocolRes(responseCode: .ok_SuccessfulNegotiation, schemaID: 1)), ev: EVInputs())
        _ = running.receive(.common(.sessionSetupRes(SessionSetupResType(
            header: MessageHeaderType(sessionID: [1, 2, 3, 4, 5, 6, 7, 8], timeStamp: 0), responseCode: .ok_NewSessionEstablished, evseid: "X"))),
            ev: EVInputs())
        #expect(running.state == .awaiting(.authorizationSetup))
        #expect(running.timerExpired(.communicationSetup, ev: EVInputs()).isEmpty, "setup is over once SessionSetupRes arrived")
    }

    /// V2G_EVCC_Msg_Timeout per request: 5 s for ServiceDetailReq, 0.5 s for a ChargeLoopReq, 2 s otherwise.
    @Test func responseTimeoutsFollowTheRequest() throws {
        var pair = SessionPair()
        let timeouts = try pair.run().responseTimeouts
        #expect(timeouts["ServiceDetailReq"] == .seconds(5))
        #expect(timeouts["DC_ChargeLoopReq"] == .milliseconds(500))
        #expect(timeouts["SessionSetupReq"] == .seconds(2))
        #expect(timeouts["supportedAppProtocolReq"] == .seconds(2))
    }
}
