import ISO20Common

/// The DC energy services a charger offers: DC (2) and DC_BPT (6).
extension EnergyService {
    /// DC with Scheduled (parameter set 1) and Dynamic (parameter set 2) control: connector 2
    /// (Extended), control mode 1/2, mobility needs 1 (Scheduled) or 2 (Dynamic), pricing 2 (price
    /// levels: ScheduleExchangeRes carries the configured `PriceLevelTariff`, [V2G20-2176]).
    public static let dc = dc()

    /// DC_BPT: as DC, plus BPT channel 1 (unified) and generator mode 1 (grid-following).
    public static let dcBPT = dcBPT()

    /// DC offering the given control modes, in this order (an EV that takes the first parameter
    /// set, as Josev's simulator does, gets the first mode). Parameter set IDs stay 1 (Scheduled)
    /// and 2 (Dynamic) whatever the order.
    public static func dc(controlModes: [ControlMode] = [.scheduled, .dynamic], pricing: Pricing = .priceLevels) -> EnergyService {
        EnergyService(serviceID: dcServiceID, parameterSets: controlModes.map { dcParameterSet($0, bpt: false, pricing: pricing) })
    }

    /// DC_BPT offering the given control modes, in this order.
    public static func dcBPT(controlModes: [ControlMode] = [.scheduled, .dynamic], pricing: Pricing = .priceLevels) -> EnergyService {
        EnergyService(serviceID: dcBPTServiceID, parameterSets: controlModes.map { dcParameterSet($0, bpt: true, pricing: pricing) })
    }

    static func dcParameterSet(_ mode: ControlMode, bpt: Bool, pricing: Pricing) -> ParameterSetType {
        var parameters = commonParameters(connector: 2, controlMode: mode, pricing: pricing)
        if bpt {
            parameters += [ParameterType(name: "BPTChannel", choice: .intValue(1)),
                           ParameterType(name: "GeneratorMode", choice: .intValue(1))]
        }
        return ParameterSetType(parameterSetID: UInt16(mode.rawValue), parameter: parameters)
    }
}
