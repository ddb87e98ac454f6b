/// What the EV's battery management reports when the EVCC builds a request; the runtime reads it
/// from `EVController`.
public struct EVInputs: Sendable, Hashable {
    public var timestamp: UInt64
    /// State of charge in percent.
    public var soc: Int8
    /// Energy still wanted (Wh) for the Dynamic control mode.
    public var energyRequest: Double
    /// The EV wants to stop charging (target reached, user stop).
    public var chargingComplete: Bool
    /// The driver (or the EV's energy manager) wants to pause: stop power, SessionStop(Pause).
    public var pauseRequested: Bool
    /// Monotonic time since the session started; the runtime sets it (tests choose it), so the
    /// Ongoing, CableCheck and PreCharge timeouts need no clock.
    public var elapsed: Duration
    /// The DC side of the EV: its limits, battery voltage and charge target.
    public var dc: DCEVInputs

    public init(timestamp: UInt64 = 0, soc: Int8 = 40, energyRequest: Double = 40_000, chargingComplete: Bool = false,
                pauseRequested: Bool = false, elapsed: Duration = .zero, dc: DCEVInputs = DCEVInputs()) {
        self.timestamp = timestamp; self.soc = soc; self.energyRequest = energyRequest
        self.chargingComplete = chargingComplete; self.pauseRequested = pauseRequested; self.elapsed = elapsed
        self.dc = dc
    }
}
