import ISO20AC
import ISO20Common
import Testing
import TestSupport
import V2GSession
import V2GSimulation

/// Whole AC and AC_BPT sessions between our EVCC and our SECC on the simulated plant (grid, phases,
/// contactor, on-board charger, battery), through the EXI codec, in virtual time.
@Suite(.offPool) struct ACSessionPairTests {
    static func pair(service: UInt16, mode: ControlMode, battery: SimulatedPlant.Battery = SimulatedPlant.Battery(),
                     setpoint: Double? = nil, gridLimit: SimulatedEVSE.GridLimit? = nil, phases: Int = 3) -> SessionPair {
        let bpt = service == EnergyService.acBPTServiceID
        return SessionPair(evcc: EVCCConfiguration(evccID: Fixtures.evccID, preferredService: service, controlMode: mode),
                           battery: battery, dynamicPowerSetpoint: setpoint, discharge: bpt,
                           acLimits: ACLimits(phases: phases), gridLimit: gridLimit)
    }

    static func present(_ m: AC_ChargeLoopReqType) -> Double? { m.clReqControlMode.evPresentActivePower?.total }

    @Test(arguments: [(EnergyService.acServiceID, ControlMode.scheduled), (EnergyService.acServiceID, .dynamic),
                      (EnergyService.acBPTServiceID, .scheduled), (EnergyService.acBPTServiceID, .dynamic)])
    func wholeSession(service: UInt16, mode: ControlMode) throws {
        let bpt = service == EnergyService.acBPTServiceID
        var battery = SimulatedPlant.Battery()
        battery.soc = 60
        battery.targetSOC = 62
        battery.minimumSOC = 58
        // Dynamic AC_BPT: the charger takes 4 kW from the EV.
        var pair = Self.pair(service: service, mode: mode, battery: battery, setpoint: bpt ? -4_000 : nil)
        let o = try pair.run()
        #expect(o.evcc?.reason == .terminated, "\(o.evcc?.detail ?? "")")
        #expect(o.secc?.reason == .terminated, "\(o.secc?.detail ?? "")")
        #expect(pair.secc.agreedProtocol == .iso20AC)
        // The AC sequence: no cable check, pre-charge or welding detection.
        let phases = o.requests.reduce(into: [MessageKind]()) { if $0.last != $1 { $0.append($1) } }
        #expect(Array(phases.suffix(6)) == [.acChargeParameterDiscovery, .scheduleExchange, .powerDelivery, .acChargeLoop, .powerDelivery, .sessionStop],
                "\(phases)")
        #expect(!o.requests.contains { if case .dc = $0 { return true }; return false })
        #expect(o.loops > 3)
        // Each loop in the form of the service and control mode, answered in kind ([V2G20-1600]).
        for case .ac(.ac_ChargeLoopReq(let m)) in o.sent {
            switch (m.clReqControlMode, bpt, mode) {
            case (.scheduled_AC_CLReqControlMode, false, .scheduled), (.dynamic_AC_CLReqControlMode, false, .dynamic),
                 (.bpt_Scheduled_AC_CLReqControlMode, true, .scheduled), (.bpt_Dynamic_AC_CLReqControlMode, true, .dynamic): break
            default: Issue.record("loop request out of kind: \(m.clReqControlMode)")
            }
            #expect(m.displayParameters?.chargingComplete != nil, "Josev needs ChargingComplete")
        }
        for case .ac(.ac_ChargeLoopRes(let m)) in o.responses {
            switch (m.clResControlMode, bpt, mode) {
            case (.scheduled_AC_CLResControlMode, false, .scheduled), (.dynamic_AC_CLResControlMode, false, .dynamic),
                 (.bpt_Scheduled_AC_CLResControlMode, true, .scheduled), (.bpt_Dynamic_AC_CLResControlMode, true, .dynamic): break
            default: Issue.record("loop response out of kind: \(m.clResControlMode)")
            }
        }
        // Energy went the way the service and the EV wanted: into the battery, or (AC_BPT) out of it.
        #expect(bpt ? pair.plant.energyWh < 0 : pair.plant.energyWh > 0, "\(pair.plant.energyWh) Wh")
        #expect(bpt ? pair.plant.soc <= 58.01 : pair.plant.soc >= 62, "SOC \(pair.plant.soc)")
        #expect(!o.contactorClosedOutOfStateC)
        #expect(!pair.plant.contactorsClosed)
        #expect(pair.plant.controlPilot == .b, "the EV is back in B after PowerDelivery(Stop)")
    }

    /// The grid operator lowers the charger's limit mid-session; the charger passes it on in the
    /// next AC_ChargeLoopRes and the EV draws no more from its next request on ([V2G20-1825]:
    /// "as fast as technically feasible").
    @Test(arguments: [ControlMode.scheduled, .dynamic])
    func loweredPowerLimitIsFollowedInTheNextLoop(mode: ControlMode) throws {
        var pair = Self.pair(service: EnergyService.acServiceID, mode: mode, gridLimit: .init(watts: 6_000, after: .seconds(1)))
        pair.driver = { loops, ev in if loops >= 40 { ev.chargingComplete = true } }
        let o = try pair.run()
        #expect(o.evcc?.reason == .terminated)
        var loopRequests: [AC_ChargeLoopReqType] = []
        for case .ac(.ac_ChargeLoopReq(let m)) in o.sent { loopRequests.append(m) }
        var loopResponses: [AC_ChargeLoopResType] = []
        for case .ac(.ac_ChargeLoopRes(let m)) in o.responses { loopResponses.append(m) }
        let limited = try #require(loopResponses.firstIndex { $0.clResControlMode.evseTargetActivePower == 6_000 },
                                   "the charger never passed the grid limit on")
        let before = try #require(Self.present(loopRequests[limited]))
        #expect(before > 10_000, "full power before the limit: \(before) W")
        let next = try #require(Self.present(loopRequests[limited + 1]))
        #expect(next <= 6_000, "the EV draws \(next) W in the loop after a 6 kW limit")
        for request in loopRequests[(limited + 1)...] { #expect((Self.present(request) ?? .infinity) <= 6_000) }
    }

    /// A charger that asks for more than it announced (50 kW against 10 A on three phases, 6.9 kW):
    /// the EV draws the announced maximum, as a DC EV holds its targets to what was announced.
    @Test func setpointBeyondTheAnnouncedLimitIsClamped() throws {
        var pair = SessionPair(evcc: EVCCConfiguration(evccID: Fixtures.evccID, preferredService: EnergyService.acServiceID, controlMode: .dynamic),
                               acLimits: ACLimits(maximumChargeCurrent: 10))
        pair.answer = { response in
            if case .ac(.ac_ChargeLoopRes(var m)) = response, case .dynamic_AC_CLResControlMode(var c) = m.clResControlMode {
                c.evseTargetActivePower = RationalNumberType(50_000)
                m.clResControlMode = .dynamic_AC_CLResControlMode(c)
                response = .ac(.ac_ChargeLoopRes(m))
            }
        }
        pair.driver = { loops, ev in if loops >= 6 { ev.chargingComplete = true } }
        let o = try pair.run()
        var present: [Double] = []
        for case .ac(.ac_ChargeLoopReq(let m)) in o.sent { present.append(Self.present(m) ?? 0) }
        #expect(present.count > 2)
        #expect(present.dropFirst().allSatisfy { abs($0 - 6_900) < 1 }, "\(present)")
        #expect(o.evcc?.reason == .terminated)
    }

    /// An EV that ignores its own pilot switch (stays in B) never gets the contactor closed: the
    /// SECC holds PowerDeliveryRes(Start) and answers FAILED_ContactorError ([V2G20-862]).
    @Test func contactorNeverClosesInStateB() throws {
        var pair = Self.pair(service: EnergyService.acServiceID, mode: .dynamic)
        pair.vehicleObeys = { if case .controlPilot(.c) = $0 { return false }; return true }
        let o = try pair.run()
        #expect(o.secc?.reason == .failed(.failed_ContactorError))
        #expect(o.evcc?.reason == .failed(.failed_ContactorError))
        #expect(!o.contactorClosedOutOfStateC)
        #expect(!pair.plant.contactorsClosed)
        #expect(pair.plant.energyWh == 0)
    }

    /// The EV vanishes mid loop: the SECC opens the contactor before it reports the end.
    @Test func vanishingEVLeavesTheContactorOpen() throws {
        var pair = Self.pair(service: EnergyService.acServiceID, mode: .dynamic)
        let o = try pair.run(maxExchanges: 20)
        #expect(o.loops > 5 && o.secc == nil)
        #expect(pair.plant.contactorsClosed && pair.secc.contactorClosed)
        let actions = pair.secc.connectionLost()
        #expect(actions.first == .evse(.powerDelivery(on: false)))
        #expect(actions.ended?.reason == .connectionLost)
        for case .evse(let command) in actions { pair.evse.perform(command) }
        #expect(!pair.plant.contactorsClosed)
    }

    /// Single phase: the same session on one phase, 16 A at 230 V.
    @Test func singlePhaseSession() throws {
        var battery = SimulatedPlant.Battery()
        battery.soc = 60
        battery.targetSOC = 61
        var pair = Self.pair(service: EnergyService.acServiceID, mode: .dynamic, battery: battery, phases: 1)
        let o = try pair.run()
        #expect(o.evcc?.reason == .terminated)
        guard case .ac(.ac_ChargeParameterDiscoveryRes(let cpd))? = o.responses.first(where: { $0.kind == .ac(.ac_ChargeParameterDiscoveryRes) }),
              case .ac_CPDResEnergyTransferMode(let l) = cpd.ac_CPDResEnergyTransferMode else {
            Issue.record("no AC CPD response"); return
        }
        #expect(l.evseMaximumChargePower.doubleValue == 230 * 16)
        #expect(l.evseMaximumChargePower_L2 == nil, "totals: the EV gave no per-phase limits ([V2G20-1822])")
        #expect(l.evseNominalFrequency.doubleValue == 50)
    }

    /// AC timing on the injected clock: V2G_EVCC_Msg_Timeout 0.5 s for AC_ChargeLoopReq
    /// ([V2G20-1499]), V2G_SECC_Sequence_Timeout 0.5 s after AC_ChargeLoopRes ([V2G20-1500]), the
    /// next request within V2G_EVCC_Sequence_Performance_Time (0.25 s).
    @Test func acLoopTiming() throws {
        var pair = Self.pair(service: EnergyService.acServiceID, mode: .scheduled)
        let o = try pair.run(maxExchanges: 16)
        #expect(o.responseTimeouts["AC_ChargeLoopReq"] == .milliseconds(500))
        #expect(o.responseTimeouts["AC_ChargeParameterDiscoveryReq"] == .seconds(2))
        #expect(pair.evcc.configuration.policy.chargeLoopInterval <= .milliseconds(250))
        var secc = pair.secc
        let loop = try #require(o.next)
        let answer = secc.receive(loop, evse: pair.evse.inputs(timestamp: pair.timestamp))
        #expect(answer.contains(.startTimer(.sequence, .milliseconds(500))))
        #expect(secc.timerExpired(.sequence, evse: Fixtures.evse).ended?.reason == .sequenceTimeout)
    }
}
