import ISO20Common
import Testing
import TestSupport
import V2GSession
import V2GSimulation

/// Every CommonMessages request is answered by our SECC, and every CommonMessages response is
/// handled by our EVCC, in whole sessions that end normally (SessionStop(Terminate) on both
/// sides): the sessions below between them carry all thirteen exchanges, on the main stream or on
/// their side streams.
@Suite(.offPool) struct CommonMessagesCoverageTests {
    /// Which session carries which exchanges.
    static func sessions() throws -> [(String, SessionPair.Outcome)] {
        var out: [(String, SessionPair.Outcome)] = []
        // EIM; Internet and parking check-in selected; standby; parking on its side stream.
        var secc = SECCConfiguration(evseID: "DE*SWI*E1234567")
        secc.valueAddedServices = [.internet(), .parkingStatus()]
        var evcc = EVCCConfiguration(evccID: "WMIV1234567890ABCDEX")
        evcc.valueAddedServices = [ValueAddedService.internetServiceID, ValueAddedService.parkingStatusServiceID]
        evcc.policy.sideStreams = true
        var life = SessionPair(secc: SECCSession(configuration: secc), evcc: evcc)
        life.driver = { loops, ev in ev.standbyRequested = (10..<20).contains(loops) }
        out.append(("EIM, VAS, standby, parking check-in", try life.run()))
        // Parking check-out.
        secc.valueAddedServices = [.parkingStatus([.vehicleCheckOut])]
        evcc.valueAddedServices = [ValueAddedService.parkingStatusServiceID]
        var checkOut = SessionPair(secc: SECCSession(configuration: secc), evcc: evcc)
        out.append(("parking check-out", try checkOut.run()))
        // Plug & Charge with a contract installed first.
        var installation = CertificateInstallationSessionTests.pair()
        out.append(("CertificateInstallation, PnC", try installation.run()))
        // Plug & Charge with MeteringConfirmation on the main stream.
        var metering = MeteringConfirmationTests.pair()
        out.append(("PnC, MeteringConfirmation", try metering.run()))
        return out
    }

    @Test func everyExchangeIsAnsweredAndHandled() throws {
        var answered = Set<CommonMessagesDocument.Message>()
        for (name, o) in try Self.sessions() {
            #expect(o.secc?.reason == .terminated && o.evcc?.reason == .terminated, "\(name): \(String(describing: o.secc)), \(String(describing: o.evcc))")
            for response in o.responses + o.sideResponses.map(\.1) {
                guard case .common(let m)? = response.kind else { continue }
                #expect(response.responseCode?.rawValue.hasPrefix("FAILED") == false, "\(name): \(m)")
                answered.insert(m)
            }
        }
        let responses = Set(CommonMessagesDocument.Message.allCases.filter { !MessageKind.common($0).isRequest })
        #expect(responses.count == 13)
        #expect(answered == responses, "missing: \(responses.subtracting(answered).map(\.rawValue).sorted())")
    }
}
