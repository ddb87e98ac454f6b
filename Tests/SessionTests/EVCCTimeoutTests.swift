import ISO20Common
import ISO20DC
import Testing
import V2GSession

/// The EVCC's overall phase timeouts on a virtual clock: minutes of protocol time in microseconds.
@Suite struct EVCCTimeoutTests {
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
}
