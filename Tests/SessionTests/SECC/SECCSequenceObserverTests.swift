import ISO20Common
import ISO20DC
import Testing
import TestSupport
import V2GSession

/// `SECCSequenceObserver`, the SECC's state as `v2g trace` infers it from a conversation. Every
/// `SessionPair` run already checks it agrees with the SECC on each request (accepted or
/// FAILED_SequenceError); here: it follows whole sessions through every phase, and it refuses
/// what the SECC would.
@Suite(.offPool) struct SECCSequenceObserverTests {
    /// Replays a pair's conversation into a fresh observer: every request is in sequence, and the
    /// states it passes through, in order.
    static func replay(_ o: SessionPair.Outcome) -> [String] {
        var observer = SECCSequenceObserver()
        var states: [String] = []
        for (request, response) in zip(o.sent, o.responses) {
            #expect(observer.accepts(request) == true, "\(request.name) in \(String(describing: observer.state))")
            observer.observe(request, answeredBy: response)
            let state = observer.state.map { "\($0)" } ?? "unknown"
            if states.last != state { states.append(state) }
        }
        return states
    }

    @Test func followsADCSessionThroughEveryPhase() throws {
        var pair = SessionPair(evcc: EVCCConfiguration(evccID: Fixtures.evccID, controlMode: .scheduled))
        let states = Self.replay(try pair.run())
        #expect(states == ["waitingForSessionSetup", "waitingForAuthorizationSetup", "waitingForAuthorization", "waitingForServiceDiscovery",
                           "waitingForServiceDetailOrSelection", "waitingForChargeParameterDiscovery", "waitingForScheduleExchange",
                           "waitingForCableCheck", "preCharging", "charging", "waitingForWeldingDetection", "ended"], "\(states)")
    }

    @Test func followsAnACSession() throws {
        var pair = SessionPair(evcc: EVCCConfiguration(evccID: Fixtures.evccID, preferredService: EnergyService.acServiceID, controlMode: .dynamic))
        let states = Self.replay(try pair.run())
        #expect(states == ["waitingForSessionSetup", "waitingForAuthorizationSetup", "waitingForAuthorization", "waitingForServiceDiscovery",
                           "waitingForServiceDetailOrSelection", "waitingForChargeParameterDiscovery", "waitingForScheduleExchange",
                           "waitingForPowerDelivery", "charging", "waitingForSessionStop", "ended"], "\(states)")
    }

    /// Out of sequence where the SECC would answer FAILED_SequenceError; a request in the wrong
    /// place is refused whatever came before, and after a FAILED answer nothing is in sequence.
    @Test func refusesWhatTheSECCWould() throws {
        var pair = SessionPair(evcc: EVCCConfiguration(evccID: Fixtures.evccID, controlMode: .scheduled))
        let o = try pair.run()
        let conversation = Array(zip(o.sent, o.responses))
        func observer(until kind: MessageKind) throws -> SECCSequenceObserver {
            var observer = SECCSequenceObserver()
            for (request, response) in conversation {
                if request.kind == kind { return observer }
                observer.observe(request, answeredBy: response)
            }
            Issue.record("no \(kind) in the session")
            return observer
        }
        func request(_ kind: MessageKind) throws -> V2GRequest { try #require(o.sent.first { $0.kind == kind }) }

        let atCableCheck = try observer(until: .dcCableCheck)
        #expect(atCableCheck.accepts(try request(.dcPreCharge)) == false)
        #expect(atCableCheck.accepts(try request(.dcChargeLoop)) == false)
        #expect(atCableCheck.accepts(try request(.serviceDiscovery)) == false)
        #expect(atCableCheck.accepts(try request(.sessionStop)) == true, "SessionStop from every state after SessionSetup")
        let atLoop = try observer(until: .dcChargeLoop)
        #expect(atLoop.accepts(try request(.dcCableCheck)) == false)

        // A FAILED answer ends the session.
        var failed = SECCSequenceObserver()
        let (sap, sapResponse) = conversation[0]
        failed.observe(sap, answeredBy: sapResponse)
        failed.observe(try request(.sessionSetup), answeredBy: .common(.sessionSetupRes(SessionSetupResType(
            header: Fixtures.header(), responseCode: .failed, evseid: "DE*SWI*E1234567"))))
        let authorizationSetup = try request(.authorizationSetup)
        #expect(failed.state == .ended && failed.accepts(authorizationSetup) == false)

        // From the middle of a session nothing is judged until the state is known.
        let midSession = SECCSequenceObserver(midSession: ())
        #expect(midSession.accepts(try request(.dcChargeLoop)) == nil)
    }
}
