import ISO20Common

/// ServiceDiscovery, ServiceDetail and ServiceSelection: the service the EV wants (or, where its
/// policy allows, a fallback, which it reports), the parameter set with its control mode, and the
/// module that takes over. An EV that cannot use what the charger offers says so with
/// SessionStop(Terminate) rather than dropping the connection.
extension EVCCSession {
    mutating func serviceDiscovery(_ ev: EVInputs) -> [EVCCAction] {
        send(.common(.serviceDiscoveryReq(ServiceDiscoveryReqType(header: header(ev)))), ev)
    }

    mutating func serviceDiscoveryAnswered(_ m: ServiceDiscoveryResType, _ ev: EVInputs) -> [EVCCAction] {
        let offered = m.energyTransferServiceList.service.map(\.serviceID)
        let wanted = ([configuration.preferredService] + configuration.policy.fallbackServices).first { id in
            offered.contains(id) && EVCCEnergyTransfers.all.contains { $0.serviceIDs.contains(id) }
        }
        guard let wanted else {
            return stopUnusable(ev, "the SECC offers services \(offered), none of \([configuration.preferredService] + configuration.policy.fallbackServices)")
        }
        let fallback: [EVCCAction] = wanted == configuration.preferredService ? []
            : [.note("service \(configuration.preferredService) is not offered (offered: \(offered)); falling back to service \(wanted) as the policy allows")]
        valueAddedDetailsWanted = wantedValueAddedServices(m.vasList)
        selectedVAS = []
        return fallback + send(.common(.serviceDetailReq(ServiceDetailReqType(header: header(ev), serviceID: wanted))), ev)
    }

    mutating func serviceDetailAnswered(_ m: ServiceDetailResType, _ ev: EVInputs) -> [EVCCAction] {
        if energyTransfer != nil {
            // The energy service is chosen: this describes a value-added service.
            valueAddedServiceDescribed(m)
            return nextServiceDetailOrSelection(ev)
        }
        // The parameter set whose ControlMode is ours ([V2G20-1216]: only offered IDs).
        let set = m.serviceParameterList.parameterSet.first { set in
            set.parameter.contains { $0.name == "ControlMode" && $0.choice == .intValue(configuration.controlMode.rawValue) }
        }
        let selected = set.map { SelectedServiceType(serviceID: m.serviceID, parameterSetID: $0.parameterSetID) }
        guard let selected, let module = EVCCEnergyTransfers.module(for: selected, configuration: configuration) else {
            return stopUnusable(ev, "service \(m.serviceID) has no parameter set with control mode \(configuration.controlMode)")
        }
        service = selected
        energyTransfer = module
        return nextServiceDetailOrSelection(ev)
    }

    /// ServiceDetailReq for the next value-added service the EV wants, or ServiceSelectionReq.
    mutating func nextServiceDetailOrSelection(_ ev: EVInputs) -> [EVCCAction] {
        if !valueAddedDetailsWanted.isEmpty {
            let next = valueAddedDetailsWanted.removeFirst()
            return send(.common(.serviceDetailReq(ServiceDetailReqType(header: header(ev), serviceID: next))), ev)
        }
        guard let service else { return end(.failed(.failed_NoEnergyTransferServiceSelected), "no service selected") }
        let vas = selectedVAS.map { SelectedServiceType(serviceID: $0.serviceID, parameterSetID: $0.parameterSet.parameterSetID) }
        return send(.common(.serviceSelectionReq(ServiceSelectionReqType(
            header: header(ev), selectedEnergyTransferService: service,
            selectedVASList: vas.isEmpty ? nil : SelectedServiceListType(selectedService: vas)))), ev)
    }

    /// ServiceSelectionRes OK: the controller learns the value-added services agreed, then the
    /// energy service's ChargeParameterDiscovery.
    mutating func serviceSelectionAnswered(_ ev: EVInputs) -> [EVCCAction] {
        // Every change, none any more after a renegotiation included.
        let vas: [EVCCAction] = selectedVAS == reportedVAS ? [] : [.valueAddedServicesSelected(selectedVAS)]
        reportedVAS = selectedVAS
        return vas + chargeParameterDiscovery(ev)
    }

    /// The service's ChargeParameterDiscovery, after ServiceSelection or a resume.
    mutating func chargeParameterDiscovery(_ ev: EVInputs) -> [EVCCAction] {
        guard let module = energyTransfer else { return end(.failed(.failed_NoEnergyTransferServiceSelected), "no service selected") }
        return send(module.chargeParameterDiscovery(ev, header(ev)), ev)
    }

    /// Nothing offered is usable: SessionStop(Terminate), and the session ends with `reason` once
    /// the SECC answers (`SessionEnd.Reason.noUsableService`).
    mutating func stopUnusable(_ ev: EVInputs, _ reason: String) -> [EVCCAction] {
        stopIntent = .terminate
        unusable = reason
        return sessionStop(ev)
    }
}
