import AppProtocol
import EXI
import ISO20Common
import ISO20DC
import Testing
import V2GSession
import V2GSimulation

/// Whole sessions of our EVCC and our SECC on the simulated plant (`SessionPair`): through the
/// wire format, on a manual clock, in milliseconds.
@Suite struct SessionPairTests {
    @Test(arguments: [ControlMode.dynamic, .scheduled])
    func fullDCSessionEndsInSessionStopTerminate(mode: ControlMode) throws {
        var pair = SessionPair(evcc: EVCCConfiguration(evccID: "WMIV1234567890ABCDEX", controlMode: mode))
        let o = try pair.run()
        #expect(o.secc?.reason == .terminated)
        #expect(o.evcc?.reason == .terminated)
        #expect(o.stop == .terminate)
        #expect(pair.plant.soc >= 80)
        #expect(pair.plant.energyWh > 0)
        #expect(!pair.plant.contactorsClosed, "power off at the end")
        // The standard's order, each phase once (Ongoing repeats aside).
        let phases = o.requests.reduce(into: [MessageKind]()) { if $0.last != $1 { $0.append($1) } }
        #expect(phases == [.supportedAppProtocol, .sessionSetup, .authorizationSetup, .authorization, .serviceDiscovery, .serviceDetail,
                           .serviceSelection, .dcChargeParameterDiscovery, .scheduleExchange, .dcCableCheck, .dcPreCharge, .powerDelivery,
                           .dcChargeLoop, .powerDelivery, .dcWeldingDetection, .sessionStop])
        print("session pair DC \(mode): \(o.messages) messages, \(o.loops) charge loops, \(Int(pair.plant.energyWh)) Wh, SOC \(pair.plant.soc)%, \(pair.clock.now) simulated")
    }

    @Test func bptSessionDischarges() throws {
        var battery = SimulatedPlant.Battery()
        battery.soc = 80
        battery.minimumSOC = 60
        var pair = SessionPair(evcc: EVCCConfiguration(evccID: "WMIV1234567890ABCDEX", preferredService: EnergyService.dcBPTServiceID),
                               battery: battery, dynamicPowerSetpoint: -40_000, discharge: true)
        let o = try pair.run()
        #expect(o.secc?.reason == .terminated)
        #expect(o.evcc?.reason == .terminated)
        #expect(pair.plant.energyWh < 0, "energy flowed from the EV")
        #expect(pair.plant.soc <= 60)
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
