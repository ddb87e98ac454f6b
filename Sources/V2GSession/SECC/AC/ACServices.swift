import ISO20Common

/// The AC energy services a charger offers: AC (1) and AC_BPT (5).
extension EnergyService {
    /// AC, three phases at 230 V, Scheduled (parameter set 1) and Dynamic (2).
    public static let ac = ac()

    /// AC_BPT: as AC, plus BPT channel 1 (unified), generator mode 1 (grid-following) and
    /// grid-code islanding detection 1 (active).
    public static let acBPT = acBPT()

    /// AC offering the given control modes, in this order. `phases`: 1 or 3 (Connector 1 single
    /// phase, 2 three phase: Josev and the dSPACE capture use 2, EVerest 3 — PROTOCOL-NOTES §7
    /// records the conflict; we send 2 and read either).
    public static func ac(controlModes: [ControlMode] = [.scheduled, .dynamic], pricing: Pricing = .priceLevels,
                          phases: Int = 3, nominalVoltage: Int32 = 230) -> EnergyService {
        EnergyService(serviceID: acServiceID, parameterSets: controlModes.map {
            acParameterSet($0, bpt: false, pricing: pricing, phases: phases, nominalVoltage: nominalVoltage)
        })
    }

    /// AC_BPT offering the given control modes, in this order.
    public static func acBPT(controlModes: [ControlMode] = [.scheduled, .dynamic], pricing: Pricing = .priceLevels,
                             phases: Int = 3, nominalVoltage: Int32 = 230) -> EnergyService {
        EnergyService(serviceID: acBPTServiceID, parameterSets: controlModes.map {
            acParameterSet($0, bpt: true, pricing: pricing, phases: phases, nominalVoltage: nominalVoltage)
        })
    }

    /// The AC `Connector` values: 1 single phase, 2 three phase (3 as EVerest sends it is read as three phase too).
    public static func acPhases(connector: Int32) -> Int { connector == 1 ? 1 : 3 }

    static func acParameterSet(_ mode: ControlMode, bpt: Bool, pricing: Pricing, phases: Int, nominalVoltage: Int32) -> ParameterSetType {
        var parameters = commonParameters(connector: phases == 1 ? 1 : 2, controlMode: mode, pricing: pricing)
        parameters.insert(ParameterType(name: "EVSENominalVoltage", choice: .intValue(nominalVoltage)), at: 2)
        if bpt {
            parameters += [ParameterType(name: "BPTChannel", choice: .intValue(1)),
                           ParameterType(name: "GeneratorMode", choice: .intValue(1)),
                           ParameterType(name: "GridCodeIslandingDetectionMethod", choice: .intValue(1))]
        }
        return ParameterSetType(parameterSetID: UInt16(mode.rawValue), parameter: parameters)
    }
}
