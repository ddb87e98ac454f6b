import ISO20Common

/// Value-added services (Internet, parking status) beside the energy service: offered in
/// ServiceDiscoveryRes's VASList, described by ServiceDetailRes, selected in ServiceSelectionReq's
/// SelectedVASList. A selection of a service or parameter set the SECC did not offer is
/// FAILED_ServiceSelectionInvalid, as for the energy service ([V2G20-433], [V2G20-467]); the EV
/// may only use what was offered ([V2G20-1216]). What a selection means (a route for the car, a
/// parking record) is the runtime's (`SECCAction.valueAddedServicesSelected`).
extension SECCSession {
    /// The VASList: the configured services (at most 8), only those the EV named where it sent
    /// SupportedServiceIDs ([V2G20-1249]); nil when there are none (the element is optional).
    /// What it lists is what the EV may ask about and select.
    mutating func vasList(_ supported: [UInt16]?) -> ServiceListType? {
        var services = configuration.valueAddedServices
        if let supported { services = services.filter { supported.contains($0.serviceID) } }
        let listed = Array(services.prefix(8))
        offeredVAS = listed.map(\.serviceID)
        guard !listed.isEmpty else { return nil }
        return ServiceListType(service: listed.map { ServiceType(serviceID: $0.serviceID, freeService: $0.freeService) })
    }

    /// The configured value-added service with this ID, if this session's VASList offered it.
    func offeredValueAddedService(_ id: UInt16) -> ValueAddedService? {
        offeredVAS.contains(id) ? configuration.valueAddedServices.first { $0.serviceID == id } : nil
    }

    /// The EV's SelectedVASList checked against the offer: each service offered, each parameter
    /// set one of its own, no service twice.
    func selectedValueAddedServices(_ selection: [SelectedServiceType]) -> Result<[SelectedValueAddedService], ValueAddedServiceRefusal> {
        var selected: [SelectedValueAddedService] = []
        for s in selection {
            guard let service = offeredValueAddedService(s.serviceID) else {
                return .failure(ValueAddedServiceRefusal(description: "value-added service \(s.serviceID) was not offered"))
            }
            guard let set = service.parameterSet(s.parameterSetID) else {
                return .failure(ValueAddedServiceRefusal(description: "value-added service \(s.serviceID) has no parameter set \(s.parameterSetID)"))
            }
            guard !selected.contains(where: { $0.serviceID == s.serviceID }) else {
                return .failure(ValueAddedServiceRefusal(description: "value-added service \(s.serviceID) selected twice"))
            }
            selected.append(SelectedValueAddedService(serviceID: s.serviceID, parameterSet: set))
        }
        return .success(selected)
    }
}

/// Why a SelectedVASList is refused.
struct ValueAddedServiceRefusal: Error, CustomStringConvertible {
    var description: String
}
