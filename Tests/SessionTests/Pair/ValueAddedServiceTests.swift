import ISO20Common
import Testing
import TestSupport
import V2GSession
import V2GSimulation

/// Value-added services beside the energy service: VASList in ServiceDiscoveryRes, ServiceDetail
/// for Internet (65) and ParkingStatus (66), SelectedVASList in ServiceSelectionReq
/// ([V2G20-433], [V2G20-467], [V2G20-1216]).
@Suite(.offPool) struct ValueAddedServiceTests {
    typealias T = Fixtures

    static func charger(_ vas: [ValueAddedService] = [.internet([.http, .https]), .parkingStatus()]) -> SECCConfiguration {
        var c = SECCConfiguration(evseID: "DE*SWI*E1234567")
        c.valueAddedServices = vas
        return c
    }

    static func vehicle(wants vas: [UInt16]) -> EVCCConfiguration {
        var c = EVCCConfiguration(evccID: "WMIV1234567890ABCDEX")
        c.valueAddedServices = vas
        return c
    }

    /// The EV that wants Internet gets its ServiceDetail after the energy service's, selects
    /// the HTTPS set and charges; both runtimes hear of the selection once.
    @Test func internetIsSelectedWithTheEnergyService() throws {
        var pair = SessionPair(secc: SECCSession(configuration: Self.charger()), evcc: Self.vehicle(wants: [ValueAddedService.internetServiceID]))
        let o = try pair.run()
        #expect(o.secc?.reason == .terminated)
        #expect(o.evcc?.reason == .terminated)
        let details = o.sent.compactMap { r -> UInt16? in if case .common(.serviceDetailReq(let m)) = r { return m.serviceID }; return nil }
        #expect(details == [EnergyService.dcServiceID, ValueAddedService.internetServiceID])
        let selection = o.sent.compactMap { r -> ServiceSelectionReqType? in if case .common(.serviceSelectionReq(let m)) = r { return m }; return nil }.first
        #expect(selection?.selectedVASList?.selectedService == [SelectedServiceType(serviceID: 65, parameterSetID: 4)])
        #expect(pair.seccValueAddedServices.count == 1)
        #expect(pair.seccValueAddedServices.first?.first?.internetAccess == .https)
        #expect(pair.evccValueAddedServices.first?.map(\.serviceID) == [65])
        #expect(pair.secc.selectedVAS.first?.internetAccess?.port == 443)
        #expect(pair.plant.energyWh > 0)
    }

    /// An EV that wants nothing extra selects no VAS; a charger that offers none sends no VASList.
    @Test func noVASWantedOrOffered() throws {
        var pair = SessionPair(secc: SECCSession(configuration: Self.charger()), evcc: Self.vehicle(wants: []))
        let o = try pair.run()
        #expect(o.secc?.reason == .terminated)
        #expect(pair.seccValueAddedServices.isEmpty)
        let discovery = o.responses.compactMap { r -> ServiceDiscoveryResType? in if case .common(.serviceDiscoveryRes(let m)) = r { return m }; return nil }.first
        #expect(discovery?.vasList?.service.map(\.serviceID) == [65, 66])

        var plain = SessionPair(evcc: Self.vehicle(wants: [ValueAddedService.internetServiceID]))
        let p = try plain.run()
        #expect(p.secc?.reason == .terminated, "an EV whose VAS is not offered charges without it")
        let none = p.responses.compactMap { r -> ServiceDiscoveryResType? in if case .common(.serviceDiscoveryRes(let m)) = r { return m }; return nil }.first
        #expect(none != nil && none?.vasList == nil)
        #expect(plain.evccValueAddedServices.isEmpty)
    }

    /// ServiceDetail describes a VAS by its parameter sets; SupportedServiceIDs narrows VASList.
    @Test func serviceDetailAndSupportedServiceIDs() throws {
        var s = SECCSession(configuration: Self.charger(), makeSessionID: { T.id })
        T.toServiceDiscovery(&s)
        let detail = s.receive(.common(.serviceDetailReq(ServiceDetailReqType(header: T.header(), serviceID: 66))), evse: T.evse)
        guard case .common(.serviceDetailRes(let d))? = try T.sent(detail).first else { Issue.record("no ServiceDetailRes"); return }
        #expect(d.responseCode == .ok && d.serviceID == 66)
        #expect(d.serviceParameterList.parameterSet.map(\.parameterSetID) == [1, 2])
        #expect(d.serviceParameterList.parameterSet[1].parameter.contains(ParameterType(name: "IntendedService", choice: .intValue(2))))

        var narrowed = SECCSession(configuration: Self.charger(), makeSessionID: { T.id })
        let discovery = T.toServiceDiscovery(&narrowed, supportedServiceIDs: [2, 65])
        guard case .common(.serviceDiscoveryRes(let r))? = try T.sent(discovery).first else { Issue.record("no ServiceDiscoveryRes"); return }
        #expect(r.vasList?.service.map(\.serviceID) == [65])
    }

    /// Selecting a VAS that was not offered, a parameter set it does not have, or one service
    /// twice is FAILED_ServiceSelectionInvalid, and the runtime provides nothing.
    @Test(arguments: [
        [SelectedServiceType(serviceID: 67, parameterSetID: 1)],
        [SelectedServiceType(serviceID: 65, parameterSetID: 1)],
        [SelectedServiceType(serviceID: 65, parameterSetID: 3), SelectedServiceType(serviceID: 65, parameterSetID: 4)],
    ])
    func unofferedSelectionIsRefused(vas: [SelectedServiceType]) throws {
        var s = SECCSession(configuration: Self.charger([.internet()]), makeSessionID: { T.id })
        T.toServiceDiscovery(&s)
        let a = s.receive(.common(.serviceSelectionReq(ServiceSelectionReqType(
            header: T.header(), selectedEnergyTransferService: SelectedServiceType(serviceID: 2, parameterSetID: 1),
            selectedVASList: SelectedServiceListType(selectedService: vas)))), evse: T.evse)
        #expect(T.responseCode(try T.sent(a).first) == .failed_ServiceSelectionInvalid)
        #expect(T.ended(a) == .failed(.failed_ServiceSelectionInvalid))
        #expect(!a.contains { if case .valueAddedServicesSelected = $0 { return true }; return false })
        #expect(s.selectedVAS.isEmpty)
    }

    /// The EV's choice among Internet sets: the most secure protocol offered.
    @Test func evPrefersHTTPS() throws {
        for (offer, expected) in [([ValueAddedService.InternetAccess.ftp, .http], ValueAddedService.InternetAccess.http),
                                  ([.https, .ftpData], .https), ([.ftpData], .ftpData)] {
            var pair = SessionPair(secc: SECCSession(configuration: Self.charger([.internet(offer)])), evcc: Self.vehicle(wants: [65, 66]))
            _ = try pair.run()
            #expect(pair.evccValueAddedServices.first?.compactMap(\.internetAccess) == [expected])
        }
    }
}
