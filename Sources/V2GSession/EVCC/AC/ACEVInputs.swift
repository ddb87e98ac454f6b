/// The on-board charger's limits, watts over all phases (negative quantities never: discharge
/// limits are magnitudes).
public struct ACEVLimits: Sendable, Hashable {
    public var maximumChargePower: Double
    /// 6 A per phase at 230 V: the least IEC 61851-1 lets a charger offer.
    public var minimumChargePower: Double
    public var maximumDischargePower: Double
    public var minimumDischargePower: Double

    public init(maximumChargePower: Double = 11_000, minimumChargePower: Double = 4_140,
                maximumDischargePower: Double = 11_000, minimumDischargePower: Double = 4_140) {
        self.maximumChargePower = maximumChargePower; self.minimumChargePower = minimumChargePower
        self.maximumDischargePower = maximumDischargePower; self.minimumDischargePower = minimumDischargePower
    }
}

/// The AC side of the EV: its on-board charger, for AC and AC_BPT.
public struct ACEVInputs: Sendable, Hashable {
    public var limits: ACEVLimits
    /// The phases the on-board charger uses: 1 or 3.
    public var phases: Int
    /// The active power the on-board charger draws now, watts over all phases (negative: feeds back).
    public var presentActivePower: Double
    /// The power the battery management wants now, watts (negative: discharge, AC_BPT).
    public var targetPower: Double

    public init(limits: ACEVLimits = ACEVLimits(), phases: Int = 3, presentActivePower: Double = 0, targetPower: Double = 11_000) {
        self.limits = limits; self.phases = phases == 3 ? 3 : 1
        self.presentActivePower = presentActivePower; self.targetPower = targetPower
    }
}

/// What the EV's on-board charger is told.
public enum ACEVCommand: Sendable, Hashable {
    /// Draw this active power now, watts over all phases (negative: feed back): the EV's wish
    /// held within what the charger announced and, in the charge loop, what it allows now.
    case activePower(Double)
}
