import AppProtocol
import EXI
import ISO20Common
import ISO20DC
import Testing
import TestSupport
import V2GSession
import V2GSimulation
import V2GTP

/// The EV's PowerDelivery(Start): its power profile, schedule tuple and BPT channel.
@Suite(.offPool) struct EVCCPowerDeliveryTests {
    typealias T = Fixtures

    /// The EV's PowerDelivery(Start) carries its power profile: Scheduled names the schedule tuple
    /// it follows and states PowerToleranceAcceptance; DC_BPT names the channel.
    @Test(arguments: [(ControlMode.scheduled, UInt16(2)), (.dynamic, 2), (.scheduled, 6), (.dynamic, 6)])
    func evPowerProfileInPowerDeliveryStart(mode: ControlMode, service: UInt16) throws {
        let discharge = service == 6
        var pair = SessionPair(evcc: EVCCConfiguration(evccID: "WMIV1234567890ABCDEX", preferredService: service, controlMode: mode))
        pair.driver = { _, ev in
            ev.dc.targetVoltage = 405
            ev.dc.targetCurrent = discharge ? -100 : 200
        }
        let out = try pair.run()
        for case .common(.powerDeliveryReq(let m)) in out.sent where m.chargeProgress == .start {
            let profile = try #require(m.evPowerProfile)
            #expect((pair.startTimestamp...pair.timestamp).contains(profile.timeAnchor))
            switch (profile.evpptControlMode, mode) {
            case (.scheduled_EVPPTControlMode(let s), .scheduled):
                #expect(s.selectedScheduleTupleID == 1)
                #expect(s.powerToleranceAcceptance == .powerToleranceNotConfirmed)
            case (.dynamic_EVPPTControlMode, .dynamic): break
            default: Issue.record("profile of the wrong control mode")
            }
            let planned = try #require(profile.evPowerProfileEntries.evPowerProfileEntry.first?.power.doubleValue)
            #expect(abs(planned - 405 * (discharge ? -100 : 200)) < 1, "planned power: target voltage × current")
            #expect(m.bpt_ChannelSelection == (service == 6 ? (discharge ? .discharge : .charge) : nil))
            return
        }
        Issue.record("the EVCC never sent PowerDelivery(Start)")
    }
}
