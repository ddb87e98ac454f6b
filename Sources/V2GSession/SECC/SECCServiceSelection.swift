import ISO20Common

/// ServiceDiscovery, ServiceDetail and ServiceSelection: what the charger offers, and the
/// selection that picks the energy service's module. Value-added services ride along
/// (`SECCValueAddedServices`).
extension SECCSession {
    mutating func serviceDiscovery(_ m: ServiceDiscoveryReqType, _ evse: EVSEInputs) -> [SECCAction] {
        // Only what an energy-transfer module can run is offered.
        let available = offeredServices
        let vas = vasList(m.supportedServiceIDs?.serviceID)
        var services = available
        if let wanted = m.supportedServiceIDs?.serviceID { services = services.filter { wanted.contains($0.serviceID) } }
        if services.isEmpty { services = available }
        state = .waitingForServiceDetailOrSelection
        return respond(.common(.serviceDiscoveryRes(ServiceDiscoveryResType(
            header: header(evse), responseCode: .ok, serviceRenegotiationSupported: configuration.serviceRenegotiationSupported,
            energyTransferServiceList: ServiceListType(service: services.prefix(8).map { ServiceType(serviceID: $0.serviceID, freeService: $0.freeService) }),
            vasList: vas))))
    }

    mutating func serviceDetail(_ m: ServiceDetailReqType, _ evse: EVSEInputs) -> [SECCAction] {
        let sets = offeredServices.first { $0.serviceID == m.serviceID }?.parameterSets
            ?? offeredValueAddedService(m.serviceID)?.parameterSets
        guard let sets else {
            // [V2G20-425], [V2G20-464]
            return failed(.common(.serviceDetailReq), .failed_ServiceIDInvalid, evse, "ServiceID \(m.serviceID) was not offered")
        }
        return respond(.common(.serviceDetailRes(ServiceDetailResType(
            header: header(evse), responseCode: .ok, serviceID: m.serviceID,
            serviceParameterList: ServiceParameterListType(parameterSet: sets)))))
    }

    mutating func serviceSelection(_ m: ServiceSelectionReqType, _ evse: EVSEInputs) -> [SECCAction] {
        let selected = m.selectedEnergyTransferService
        guard let service = offeredServices.first(where: { $0.serviceID == selected.serviceID }),
              service.parameterSets.contains(where: { $0.parameterSetID == selected.parameterSetID }),
              let module = SECCEnergyTransfers.module(for: selected, configuration: configuration) else {
            // [V2G20-433], [V2G20-467]
            return failed(.common(.serviceSelectionReq), .failed_ServiceSelectionInvalid, evse,
                          "service \(selected.serviceID) / parameter set \(selected.parameterSetID) was not offered")
        }
        let vas: [SelectedValueAddedService]
        switch selectedValueAddedServices(m.selectedVASList?.selectedService ?? []) {
        case .success(let s): vas = s
        case .failure(let refusal):
            return failed(.common(.serviceSelectionReq), .failed_ServiceSelectionInvalid, evse, refusal.description)
        }
        select(selected, module)
        // A renegotiated selection replaces the last one: the runtime hears of every change.
        let changed = vas != selectedVAS
        selectedVAS = vas
        let ok = respond(.common(.serviceSelectionRes(ServiceSelectionResType(header: header(evse), responseCode: .ok))))
        return changed ? [.valueAddedServicesSelected(vas)] + ok : ok
    }

    /// The configured energy services this SECC has a module for, in the message set the session
    /// agreed on in supportedAppProtocol (-20:DC offers DC and DC_BPT, -20:AC offers AC and
    /// AC_BPT): the namespace commits both sides to that schema.
    var offeredServices: [EnergyService] {
        configuration.energyServices.filter { SECCEnergyTransfers.serves($0.serviceID, in: agreedProtocol) }
    }

    /// The service's module takes over, from its first phase (its ChargeParameterDiscovery).
    mutating func select(_ selected: SelectedServiceType, _ module: any SECCEnergyTransfer) {
        selectedService = selected
        energyTransfer = module
        state = .energyTransfer(module.firstPhase)
    }
}
