import AppProtocol
import EXI
import ISO20Common
import ISO20DC
import Testing
import V2GSession
import V2GSimulation
import V2GTP

/// Whole sessions of our EVCC and our SECC on the simulated plant (`SessionPair`): through the wire
/// format, on a manual clock, in milliseconds.
@Suite struct SessionPairTests {
    typealias T = Fixtures

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
}
