/// The AC charger's connection and limits: the grid it feeds from, the phases it switches, and
/// the current it allows per phase. Powers derive from currents at the nominal voltage, as the
/// charger announces them in AC_ChargeParameterDiscoveryRes (per phase, `ACPhasePower`).
public struct ACLimits: Sendable, Hashable {
    /// 1 or 3.
    public var phases: Int
    /// Phase-to-neutral voltage, volts (ServiceDetail `EVSENominalVoltage`).
    public var nominalVoltage: Double
    /// Hz (EVSENominalFrequency).
    public var nominalFrequency: Double
    public var maximumChargeCurrent: Double
    /// IEC 61851-1 keeps 6 A as the least an AC charger offers.
    public var minimumChargeCurrent: Double
    /// AC_BPT: the current per phase the charger takes back from the EV.
    public var maximumDischargeCurrent: Double
    public var minimumDischargeCurrent: Double
    /// MaximumPowerAsymmetry, watts between the phases (nil: not stated).
    public var maximumPowerAsymmetry: Double?
    /// EVSEPowerRampLimitation, percent of the maximum power per minute (nil: not stated).
    public var powerRampLimitation: Double?

    public init(phases: Int = 3, nominalVoltage: Double = 230, nominalFrequency: Double = 50,
                maximumChargeCurrent: Double = 16, minimumChargeCurrent: Double = 6,
                maximumDischargeCurrent: Double = 16, minimumDischargeCurrent: Double = 6,
                maximumPowerAsymmetry: Double? = nil, powerRampLimitation: Double? = nil) {
        self.phases = phases == 3 ? 3 : 1
        self.nominalVoltage = nominalVoltage; self.nominalFrequency = nominalFrequency
        self.maximumChargeCurrent = maximumChargeCurrent; self.minimumChargeCurrent = minimumChargeCurrent
        self.maximumDischargeCurrent = maximumDischargeCurrent; self.minimumDischargeCurrent = minimumDischargeCurrent
        self.maximumPowerAsymmetry = maximumPowerAsymmetry; self.powerRampLimitation = powerRampLimitation
    }

    /// Over all phases, watts.
    public var maximumChargePower: Double { Double(phases) * nominalVoltage * maximumChargeCurrent }
    public var minimumChargePower: Double { Double(phases) * nominalVoltage * minimumChargeCurrent }
    public var maximumDischargePower: Double { Double(phases) * nominalVoltage * maximumDischargeCurrent }
    public var minimumDischargePower: Double { Double(phases) * nominalVoltage * minimumDischargeCurrent }
}
