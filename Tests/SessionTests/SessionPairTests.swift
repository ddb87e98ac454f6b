import AppProtocol
import EXI
import ISO20Common
import ISO20DC
import Testing
import V2GSession

/// Our EVCC and our SECC state machines talking through the EXI codec, with a crude physical model
/// in between: whole DC sessions in microseconds, no sockets, no clocks.
@Suite struct SessionPairTests {
    struct Outcome {
        var messages = 0
        var secc: SessionEnd?
        var evcc: SessionEnd?
        var energyWh = 0.0
        var finalSOC: Int8 = 0
        var loops = 0
    }

    static func run(service: UInt16, mode: ControlMode, discharge: Bool = false, authorizeAfter: Int = 2) throws -> Outcome {
        var secc = SECCSession(configuration: SECCConfiguration(evseID: "DE*SWI*E1234567"))
        var evcc = EVCCSession(configuration: EVCCConfiguration(evccID: "WMIV1234567890ABCDEX", preferredService: service, controlMode: mode))
        var evse = EVSEInputs(authorized: false, timestamp: 1_795_542_185,
                              dc: DCEVSEInputs(isolation: .checking, dynamicPowerSetpoint: discharge ? -40_000 : nil))
        var ev = EVInputs(timestamp: 1_795_542_185, soc: discharge ? 80 : 40,
                          dc: DCEVInputs(presentVoltage: 380, targetVoltage: 400, targetCurrent: discharge ? -100 : 200))
        var out = Outcome()
        var pending = evcc.start(ev: ev)
        var authorizationRounds = 0, cableCheckRounds = 0
        while out.messages < 500 {
            guard let request = pending.sentRequest else {
                for a in pending { if case .endSession(let e) = a { out.evcc = e } }
                break
            }
            out.messages += 1
            if case .common(.authorizationReq) = request { authorizationRounds += 1; evse.authorized = authorizationRounds >= authorizeAfter }
            if case .dc(.dc_CableCheckReq) = request { cableCheckRounds += 1; if cableCheckRounds >= 2 { evse.dc.isolation = .valid } }
            let actions = secc.receive(try wire(request), evse: evse)
            // The power module and the battery follow the state machine's commands.
            for a in actions {
                switch a {
                case .evse(.dc(.preCharge(let v, _))): evse.dc.presentVoltage = v
                case .evse(.dc(.target(let v, let i))):
                    evse.dc.presentVoltage = v
                    evse.dc.presentCurrent = i
                    out.loops += 1
                    out.energyWh += v * i * 0.25 / 3600      // 250 ms per loop
                    ev.soc = Int8(max(0, min(100, Int(ev.soc) + (i > 0 ? 2 : -2))))
                    ev.chargingComplete = discharge ? ev.soc <= 60 : ev.soc >= 80
                    evse.meterReadingWh = UInt64(max(0, out.energyWh))
                default: break
                }
                if case .endSession(let e) = a { out.secc = e }
            }
            guard let response = actions.sentResponse else { break }
            out.messages += 1
            pending = evcc.receivePaced(try wire(response), ev: ev)
            for a in pending { if case .endSession(let e) = a { out.evcc = e } }
            if out.secc != nil && out.evcc != nil { break }
        }
        out.finalSOC = ev.soc
        return out
    }

    @Test(arguments: [ControlMode.dynamic, .scheduled])
    func fullDCSessionEndsInSessionStopTerminate(mode: ControlMode) throws {
        let o = try Self.run(service: 2, mode: mode)
        #expect(o.secc?.reason == .terminated)
        #expect(o.evcc?.reason == .terminated)
        #expect(o.finalSOC >= 80)
        #expect(o.energyWh > 0)
        print("session pair DC \(mode): \(o.messages) messages, \(o.loops) charge loops, \(Int(o.energyWh)) Wh, SOC \(o.finalSOC)%")
    }

    @Test func bptSessionDischarges() throws {
        let o = try Self.run(service: 6, mode: .dynamic, discharge: true)
        #expect(o.secc?.reason == .terminated)
        #expect(o.evcc?.reason == .terminated)
        #expect(o.energyWh < 0, "energy flowed from the EV")
        #expect(o.finalSOC <= 60)
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
        var secc = SECCSession(configuration: SECCConfiguration(evseID: "DE*SWI*E1234567"))
        var evcc = EVCCSession(configuration: EVCCConfiguration(evccID: "WMIV1234567890ABCDEX"))
        let evse = EVSEInputs(timestamp: 1, dc: DCEVSEInputs(presentVoltage: 400))
        let ev = EVInputs(timestamp: 1, dc: DCEVInputs(presentVoltage: 400))
        var pending = evcc.start(ev: ev)
        var timeouts: [String: Duration] = [:]
        for _ in 0..<40 {
            guard let request = pending.sentRequest,
                  let kind = request.kind else { break }
            if let d = pending.responseTimeout { timeouts[kind.description] = d }
            guard let response = secc.receive(request, evse: evse).sentResponse
            else { break }
            pending = evcc.receivePaced(response, ev: ev)
            if kind == .dcChargeLoop { break }
        }
        #expect(timeouts["ServiceDetailReq"] == .seconds(5))
        #expect(timeouts["DC_ChargeLoopReq"] == .milliseconds(500))
        #expect(timeouts["SessionSetupReq"] == .seconds(2))
        #expect(timeouts["supportedAppProtocol"] == .seconds(2))
    }
}
