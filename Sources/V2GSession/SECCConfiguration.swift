import ISO20Common

/// An energy transfer service the SECC offers, with its parameter sets (ServiceDetailRes).
public struct EnergyService: Sendable, Hashable {
    public var serviceID: UInt16
    public var freeService: Bool
    public var parameterSets: [ParameterSetType]

    public init(serviceID: UInt16, freeService: Bool = false, parameterSets: [ParameterSetType]) {
        self.serviceID = serviceID; self.freeService = freeService; self.parameterSets = parameterSets
    }

    /// Service IDs (PROTOCOL-NOTES §7).
    public static let dcServiceID: UInt16 = 2
    public static let dcBPTServiceID: UInt16 = 6

    /// DC with Scheduled (parameter set 1) and Dynamic (parameter set 2) control: connector 2
    /// (Extended), control mode 1/2, mobility needs 1 (Scheduled) or 2 (Dynamic), pricing 0.
    public static let dc = EnergyService(serviceID: dcServiceID, parameterSets: [
        parameterSet(1, controlMode: 1, bpt: false), parameterSet(2, controlMode: 2, bpt: false),
    ])

    /// DC_BPT: as DC, plus BPT channel 1 (unified) and generator mode 1 (grid-following).
    public static let dcBPT = EnergyService(serviceID: dcBPTServiceID, parameterSets: [
        parameterSet(1, controlMode: 1, bpt: true), parameterSet(2, controlMode: 2, bpt: true),
    ])

    static func parameterSet(_ id: UInt16, controlMode: Int32, bpt: Bool) -> ParameterSetType {
        var parameters = [
            ParameterType(name: "Connector", choice: .intValue(2)),
            ParameterType(name: "ControlMode", choice: .intValue(controlMode)),
            ParameterType(name: "MobilityNeedsMode", choice: .intValue(controlMode == 2 ? 2 : 1)),
            ParameterType(name: "Pricing", choice: .intValue(0)),
        ]
        if bpt {
            parameters += [ParameterType(name: "BPTChannel", choice: .intValue(1)),
                           ParameterType(name: "GeneratorMode", choice: .intValue(1))]
        }
        return ParameterSetType(parameterSetID: id, parameter: parameters)
    }
}

/// What the SECC is: its identity, the protocols and services it offers.
public struct SECCConfiguration: Sendable {
    public var evseID: String
    public var supportedProtocols: [V2GProtocol]
    public var authorizationServices: [AuthorizationType]
    public var energyServices: [EnergyService]
    public var serviceRenegotiationSupported: Bool

    public init(evseID: String, supportedProtocols: [V2GProtocol] = [.iso20DC], authorizationServices: [AuthorizationType] = [.eim],
                energyServices: [EnergyService] = [.dc, .dcBPT], serviceRenegotiationSupported: Bool = false) {
        self.evseID = evseID
        self.supportedProtocols = supportedProtocols
        self.authorizationServices = authorizationServices
        self.energyServices = energyServices
        self.serviceRenegotiationSupported = serviceRenegotiationSupported
    }
}

/// What the charger's controller reports at the moment a request is handled; the runtime reads it
/// from `EVSEController` and passes it in, so the state machine stays pure.
public struct EVSEInputs: Sendable, Hashable {
    /// EIM: has the customer been authorized (RFID, app, free charging)?
    public var authorized: Bool
    /// The current time as the header's TimeStamp (seconds since the Unix epoch).
    public var timestamp: UInt64

    public init(authorized: Bool = true, timestamp: UInt64 = 0) {
        self.authorized = authorized
        self.timestamp = timestamp
    }
}
