import ISO20Common

/// Value-added services (Internet, parking status) beside the energy service: offered in
/// ServiceDiscoveryRes's VASList, described by ServiceDetailRes, selected in ServiceSelectionReq's
/// SelectedVASList. A selection of a service or parameter set the SECC did not offer is
/// FAILED_ServiceSelectionInvalid, as for the energy service ([V2G20-433], [V2G20-467]); the EV
/// may only use what was offered ([V2G20-1216]). What a selection means (a route for the car, a
/// parking record) is the runtime's (`SECCAction.valueAddedServicesSelected`).
extension SECCSession {
    /// The VASList: the configured services, those the EV named in SupportedServiceIDs when it
    /// named any of them; nil when there are none (the element is optional).
    func vasList(_ supported: [UInt16]?) -> ServiceListType? {
        var services = configuration.valueAddedServices
        if let supported, services.contains(where: { supported.contains($0.serviceID) }) {
            services = services.filter { supported.contains($0.serviceID) }
        }
        guard !services.isEmpty else { return nil }
        return ServiceListType(service: services.prefix(8).map { ServiceType(serviceID: $0.serviceID, freeService: $0.freeService) })
    }

    /// The EV's SelectedVASList checked against the offer: each service offered, each parameter
    /// set one of its own, no service twice.
    func selectedValueAddedServices(_ selection: [SelectedServiceType]) -> Result<[SelectedValueAddedService], ValueAddedServiceRefusal> {
        var selected: [SelectedValueAddedService] = []
        for s in selection {
            guard let service = configuration.valueAddedServices.first(where: { $0.serviceID == s.serviceID }) else {
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
