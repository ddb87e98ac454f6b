import ISO20Common

/// ServiceDiscovery, ServiceDetail and ServiceSelection: the service the EV wants (or the
/// policy's fallback), the parameter set with its control mode, and the module that takes over.
extension EVCCSession {
    mutating func serviceDiscovery(_ ev: EVInputs) -> [EVCCAction] {
        send(.common(.serviceDiscoveryReq(ServiceDiscoveryReqType(header: header(ev)))), ev)
    }

    mutating func serviceDiscoveryAnswered(_ m: ServiceDiscoveryResType, _ ev: EVInputs) -> [EVCCAction] {
        let offered = m.energyTransferServiceList.service.map(\.serviceID)
        let wanted = ([configuration.preferredService] + configuration.policy.fallbackServices).first { id in
            offered.contains(id) && EVCCEnergyTransfers.all.contains { $0.serviceIDs.contains(id) }
        }
        guard let wanted else { return end(.failed(.failed_NoEnergyTransferServiceSelected), "no service we can use is offered") }
        return send(.common(.serviceDetailReq(ServiceDetailReqType(header: header(ev), serviceID: wanted))), ev)
    }

    mutating func serviceDetailAnswered(_ m: ServiceDetailResType, _ ev: EVInputs) -> [EVCCAction] {
        // The parameter set whose ControlMode is ours ([V2G20-1216]: only offered IDs).
        let set = m.serviceParameterList.parameterSet.first { set in
            set.parameter.contains { $0.name == "ControlMode" && $0.choice == .intValue(configuration.controlMode.rawValue) }
        }
        let selected = set.map { SelectedServiceType(serviceID: m.serviceID, parameterSetID: $0.parameterSetID) }
        guard let selected, let module = EVCCEnergyTransfers.module(for: selected, configuration: configuration) else {
            return end(.failed(.failed_ServiceSelectionInvalid), "no parameter set with our control mode")
        }
        service = selected
        energyTransfer = module
        return send(.common(.serviceSelectionReq(ServiceSelectionReqType(header: header(ev), selectedEnergyTransferService: selected))), ev)
    }

    /// The service's ChargeParameterDiscovery, after ServiceSelection or a resume.
    mutating func chargeParameterDiscovery(_ ev: EVInputs) -> [EVCCAction] {
        guard let module = energyTransfer else { return end(.failed(.failed_NoEnergyTransferServiceSelected), "no service selected") }
        return send(module.chargeParameterDiscovery(ev, header(ev)), ev)
    }
}
