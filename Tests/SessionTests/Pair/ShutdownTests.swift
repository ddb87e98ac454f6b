import ISO20Common
import Testing
import TestSupport
import V2GSession
import V2GSimulation

/// The charger shuts down mid-session (`SECCSession.shutdown`, what SIGTERM to `v2g secc` does):
/// power off and the contactor open at once, then the session's orderly end as far as the EV
/// lets it; never power again.
@Suite(.offPool) struct ShutdownTests {
    @Test(arguments: [EnergyService.dcServiceID, EnergyService.acServiceID])
    func inTheLoopTheEVIsToldAndStops(service: UInt16) throws {
        var pair = SessionPair(evcc: EVCCConfiguration(evccID: Fixtures.evccID, preferredService: service, controlMode: .dynamic))
        pair.shutdownAtLoop = 5
        let energy = EnergyAtShutdown()
        let plant = pair.plant
        pair.charger = { _, loops, _ in if loops == 5 { energy.wh = energy.wh ?? plant.energyWh } }
        let o = try pair.run()
        #expect(o.secc?.reason == .terminated && o.evcc?.reason == .terminated && o.stop == .terminate, "\(String(describing: o.secc))")
        #expect(!pair.plant.contactorsClosed && !pair.poweredAfterShutdown)
        #expect(pair.plant.energyWh - (energy.wh ?? 0) < 1, "no energy after the shutdown: \(pair.plant.energyWh - (energy.wh ?? 0)) Wh")
        // After the shutdown: the loop response that carries Terminate, then the EV's Stop and its end.
        let after = Array(o.requests.drop { !$0.isChargeLoop }.drop { $0.isChargeLoop })
        #expect(after.first == .powerDelivery && after.last == .sessionStop, "\(after)")
        #expect(o.loops <= 7, "the EV stopped at the first loop response that told it: \(o.loops) loops")
    }

    @Test func beforePowerTheSessionEndsAtOnce() throws {
        var pair = SessionPair(evcc: EVCCConfiguration(evccID: Fixtures.evccID, controlMode: .scheduled))
        pair.shutdownAtLoop = 0
        let o = try pair.run()
        #expect(o.secc?.reason == .shutdown && o.responses.isEmpty, "\(String(describing: o.secc))")
        #expect(!pair.plant.contactorsClosed)
    }

    /// An EV that never hears Terminate (the notification taken out of every response): power
    /// stays off, and NotificationMaxDelay ends the session.
    @Test func anEVThatGoesOnIsStoppedAtTheDeadline() throws {
        var pair = SessionPair(evcc: EVCCConfiguration(evccID: Fixtures.evccID, controlMode: .dynamic))
        pair.shutdownAtLoop = 3
        pair.answer = { response in
            if case .dc(.dc_ChargeLoopRes(var m)) = response { m.evseStatus = nil; response = .dc(.dc_ChargeLoopRes(m)) }
        }
        let o = try pair.run()
        #expect(o.secc?.reason == .failed(.failed), "\(String(describing: o.secc))")
        #expect(!pair.plant.contactorsClosed && !pair.poweredAfterShutdown)
    }

    /// Before the energy service the session ends at once; a second shutdown does nothing.
    @Test func shutdownIsOnce() throws {
        var secc = Fixtures.session()
        _ = Fixtures.toServiceDiscovery(&secc)
        #expect(!secc.shutdown(evse: Fixtures.evse).isEmpty)
        #expect(secc.state == .ended)
        #expect(secc.shutdown(evse: Fixtures.evse).isEmpty)
    }
}

/// The plant's energy when the shutdown came (set from the pair's charger hook).
final class EnergyAtShutdown: @unchecked Sendable { var wh: Double? }
