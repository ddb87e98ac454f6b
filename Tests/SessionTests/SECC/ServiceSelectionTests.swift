import AppProtocol
import EXI
import ISO20Common
import ISO20DC
import Testing
import TestSupport
import V2GSession
import V2GSimulation
import V2GTP

/// ServiceDiscovery, ServiceDetail and ServiceSelection ([V2G20-425], [V2G20-433]).
@Suite(.offPool) struct ServiceSelectionTests {
    typealias T = Fixtures

    @Test func invalidServiceIDAndParameterSetAreRefused() throws {
        var s = T.session()
        T.toServiceDiscovery(&s)
        var t = s
        let detail = t.receive(.common(.serviceDetailReq(ServiceDetailReqType(header: T.header(), serviceID: 1))), evse: T.evse)
        #expect(T.responseCode(try T.sent(detail).first) == .failed_ServiceIDInvalid)
        #expect(T.ended(detail) == .failed(.failed_ServiceIDInvalid))
        let selection = s.receive(.common(.serviceSelectionReq(ServiceSelectionReqType(
            header: T.header(), selectedEnergyTransferService: SelectedServiceType(serviceID: 2, parameterSetID: 9)))), evse: T.evse)
        #expect(T.responseCode(try T.sent(selection).first) == .failed_ServiceSelectionInvalid)
    }

    /// Control modes are offered in the configured order; parameter set IDs stay 1 and 2.
    @Test func controlModesAreOfferedInOrder() {
        let service = EnergyService.dc(controlModes: [.dynamic, .scheduled])
        #expect(service.parameterSets.map(\.parameterSetID) == [2, 1])
        #expect(service.parameterSets.first?.parameter.contains(ParameterType(name: "ControlMode", choice: .intValue(2))) == true)
        #expect(service.pricing(parameterSetID: 2) == .priceLevels)
        #expect(EnergyService.dc(controlModes: [.dynamic]).parameterSets.count == 1)
        #expect(EnergyService.dcBPT(pricing: .none).pricing(parameterSetID: 1) == .none)
    }

    /// Only services an energy-transfer module can run are offered: a configured AC service is
    /// left out of ServiceDiscoveryRes and refused in ServiceDetail until the AC module exists.
    @Test func onlyServicesWithAModuleAreOffered() throws {
        let ac = EnergyService(serviceID: EnergyService.acServiceID, parameterSets: [
            ParameterSetType(parameterSetID: 1, parameter: EnergyService.commonParameters(connector: 1, controlMode: .scheduled, pricing: .none))])
        var s = SECCSession(configuration: SECCConfiguration(evseID: "DE*SWI*E1234567", energyServices: [ac, .dc]), makeSessionID: { T.id })
        let a = T.toServiceDiscovery(&s)
        guard case .common(.serviceDiscoveryRes(let discovery))? = try T.sent(a).first else { Issue.record("no ServiceDiscoveryRes"); return }
        #expect(discovery.energyTransferServiceList.service.map(\.serviceID) == [EnergyService.dcServiceID])
        let detail = s.receive(.common(.serviceDetailReq(ServiceDetailReqType(header: T.header(), serviceID: EnergyService.acServiceID))), evse: T.evse)
        #expect(T.ended(detail) == .failed(.failed_ServiceIDInvalid))
    }
}
