import ISO20Common

/// An energy transfer service the SECC offers, with its parameter sets (ServiceDetailRes).
public struct EnergyService: Sendable, Hashable {
    public var serviceID: UInt16
    public var freeService: Bool
    public var parameterSets: [ParameterSetType]

    public init(serviceID: UInt16, freeService: Bool = false, parameterSets: [ParameterSetType]) {
        self.serviceID = serviceID; self.freeService = freeService; self.parameterSets = parameterSets
    }

    /// The -20 energy transfer service IDs (PROTOCOL-NOTES §7).
    public static let acServiceID: UInt16 = 1
    public static let dcServiceID: UInt16 = 2
    public static let wptServiceID: UInt16 = 3
    public static let dcACDPServiceID: UInt16 = 4
    public static let acBPTServiceID: UInt16 = 5
    public static let dcBPTServiceID: UInt16 = 6
    public static let dcACDPBPTServiceID: UInt16 = 7

    /// The `Pricing` parameter of a parameter set (PROTOCOL-NOTES §7).
    public enum Pricing: Int, Sendable, Hashable {
        /// No price information: ScheduleExchangeRes carries no price schedule (falls short of
        /// [V2G20-2176]; some EVs, Josev's among them, reject such a Scheduled response).
        case none = 0
        /// Absolute prices: ScheduleExchangeRes carries the configured AbsolutePriceSchedule.
        case absolute = 1
        /// Price levels: ScheduleExchangeRes carries a PriceLevelSchedule from `PriceLevelTariff`.
        case priceLevels = 2
    }

    /// The value of the integer parameter `name` in one of this service's parameter sets.
    public func intParameter(_ name: String, parameterSetID: UInt16) -> Int32? {
        let set = parameterSets.first { $0.parameterSetID == parameterSetID }
        if case .intValue(let v)? = set?.parameter.first(where: { $0.name == name })?.choice { return v }
        return nil
    }

    /// The `Pricing` value of one of this service's parameter sets.
    public func pricing(parameterSetID: UInt16) -> Pricing {
        intParameter("Pricing", parameterSetID: parameterSetID).flatMap { Pricing(rawValue: Int($0)) } ?? .none
    }

    /// The parameters every -20 energy service states: connector, control mode, mobility needs
    /// (1 by the EVCC for Scheduled, 2 by both for Dynamic, [V2G20-2663]) and pricing.
    public static func commonParameters(connector: Int32, controlMode: ControlMode, pricing: Pricing) -> [ParameterType] {
        [ParameterType(name: "Connector", choice: .intValue(connector)),
         ParameterType(name: "ControlMode", choice: .intValue(controlMode.rawValue)),
         ParameterType(name: "MobilityNeedsMode", choice: .intValue(controlMode == .dynamic ? 2 : 1)),
         ParameterType(name: "Pricing", choice: .intValue(Int32(pricing.rawValue)))]
    }
}

/// The charge control mode (service parameter `ControlMode`).
public enum ControlMode: Int32, Sendable, Hashable {
    case scheduled = 1
    case dynamic = 2
}
