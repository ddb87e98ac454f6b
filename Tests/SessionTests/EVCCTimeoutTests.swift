import ISO20Common
import ISO20DC
import Testing
import V2GSession

/// The EVCC's overall phase timeouts on a virtual clock: minutes of protocol time in microseconds.
@Suite struct EVCCTimeoutTests {
    /// Runs the pair until the EVCC sends `stopAt` for the first time, with `evse` held and virtual time advancing
    /// `step` per exchange; returns how the EVCC ended and the virtual time.
    static func run(evse: EVSEInputs, step: Duration, maxExchanges: Int = 2000) -> (SessionEnd?, Duration) {
        var secc = SECCSession(configuration: SECCConfiguration(evseID: "DE*SWI*E1234567"))
        var evcc = EVCCSession(configuration: EVCCConfiguration(evccID: "WMIV1234567890ABCDEX"))
        var ev = EVInputs(timestamp: 1, dc: DCEVInputs(presentVoltage: 400))
        var pending = evcc.start(ev: ev)
        for _ in 0..<maxExchanges {
            guard let request = pending.sentRequest,
                  let response = secc.receive(request, evse: evse).sentResponse
            else { break }
            ev.elapsed += step
            pending = evcc.receivePaced(response, ev: ev)
            for a in pending { if case .endSession(let e) = a { return (e, ev.elapsed) } }
        }
        return (nil, ev.elapsed)
    }

    @Test func cableCheckThatNeverFinishesTimesOutAfter40Seconds() {
        let (end, t) = Self.run(evse: EVSEInputs(authorized: true, timestamp: 1, dc: DCEVSEInputs(presentVoltage: 400, isolation: .checking)), step: .milliseconds(500))
        #expect(end?.reason == .phaseTimeout)
        #expect(end?.detail.contains("DC_CableCheckReq") == true)
        #expect(t > .seconds(40) && t < .seconds(50), "\(t) of virtual time, including the phases before")
    }

    @Test func authorizationThatStaysOngoingTimesOutAfter60Seconds() {
        let (end, t) = Self.run(evse: EVSEInputs(authorized: false, timestamp: 1), step: .seconds(1))
        #expect(end?.reason == .phaseTimeout)
        #expect(end?.detail.contains("AuthorizationReq") == true)
        #expect(t > .seconds(60) && t < .seconds(70))
    }

    @Test func preChargeThatNeverReachesTheBatteryTimesOutAfter10Seconds() {
        // The charger's output stays at 0 V, so pre-charge never ends.
        let (end, t) = Self.run(evse: EVSEInputs(authorized: true, timestamp: 1, dc: DCEVSEInputs(presentVoltage: 0, isolation: .valid)), step: .milliseconds(250))
        #expect(end?.reason == .phaseTimeout)
        #expect(end?.detail.contains("DC_PreChargeReq") == true)
        #expect(t > .seconds(10) && t < .seconds(15), "\(t) of virtual time, including the phases before")
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
