import ISO20Common

/// Value-added services on the EVCC side: those the EV wants (`EVCCConfiguration.valueAddedServices`)
/// and the SECC lists in VASList get a ServiceDetailReq after the energy service's, and a
/// parameter set each in SelectedVASList ([V2G20-1216]: only offered IDs). The choice of set is
/// the vehicle's: for Internet the most secure protocol offered (https, then http, then ftp); for
/// parking status the set for check-in; otherwise the first.
extension EVCCSession {
    /// The wanted services the charger offers, in the EV's order.
    func wantedValueAddedServices(_ offered: ServiceListType?) -> [UInt16] {
        let ids = offered?.service.map(\.serviceID) ?? []
        return configuration.valueAddedServices.filter(ids.contains)
    }

    /// Picks a parameter set of a described value-added service.
    mutating func valueAddedServiceDescribed(_ m: ServiceDetailResType) {
        let sets = m.serviceParameterList.parameterSet
        let chosen: ParameterSetType?
        switch m.serviceID {
        case ValueAddedService.internetServiceID:
            let preference: [ValueAddedService.InternetAccess] = [.https, .http, .ftp, .ftpData]
            chosen = preference.lazy.compactMap { access in sets.first { ValueAddedService.InternetAccess($0) == access } }.first
        case ValueAddedService.parkingStatusServiceID:
            chosen = sets.first { $0.parameter.contains { $0.name == "IntendedService" && $0.choice == .intValue(ValueAddedService.IntendedParkingService.vehicleCheckIn.rawValue) } }
                ?? sets.first
        default:
            chosen = sets.first
        }
        guard let chosen, !selectedVAS.contains(where: { $0.serviceID == m.serviceID }) else { return }
        selectedVAS.append(SelectedValueAddedService(serviceID: m.serviceID, parameterSet: chosen))
    }
}
