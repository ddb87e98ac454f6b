import NIOConcurrencyHelpers
import V2GSession

/// The physics between a simulated charger and a simulated vehicle: the control pilot, the
/// contactors, the DC output or the AC supply with the EV's on-board charger, the battery. Its
/// `clock` drives it (real time in a run, a manual clock in tests), sped up by `timeFactor` so a
/// session takes seconds.
public final class SimulatedPlant: Sendable {
    public struct Battery: Sendable {
        public var capacityWh: Double = 60_000
        public var soc: Double = 40
        public var targetSOC: Double = 80
        /// Discharge down to this SOC when the EVSE asks for power (DC_BPT).
        public var minimumSOC: Double = 30
        public var maximumCurrent: Double = 300

        public init() {}

        /// Open-circuit voltage of a 400 V class pack: 350 V empty to 410 V full.
        public var voltage: Double { 350 + 0.6 * soc }
    }

    struct State {
        var battery: Battery
        var outputVoltage: Double = 0
        var outputCurrent: Double = 0
        /// AC: what the on-board charger is set to draw from the grid, watts (negative: feeds back);
        /// it flows while the contactors are closed.
        var onBoardChargerPower: Double = 0
        var contactorsClosed = false
        var controlPilot: ControlPilotState
        var poweredSince: Duration?
        var cableCheckStarted: Duration?
        /// Since when (clock time) the charger has held the session in standby; nil: not in standby.
        var standbySince: Duration?
        var standbyEntries = 0
        var standbyTotal: Duration = .zero
        var energyWh: Double = 0
        var lastUpdate: Duration = .zero
        var authorizedAt: Duration?
    }

    private let state: NIOLockedValueBox<State>
    public let timeFactor: Double
    public let limits: DCLimits
    /// The AC supply (AC and AC_BPT).
    public let acLimits: ACLimits
    /// The EV's on-board charger: its limits and efficiency (grid to battery, and back).
    public let onBoardCharger: OnBoardCharger
    /// Isolation test duration (clock time).
    public let cableCheckDuration: Duration
    /// How long EIM authorization takes once it is first asked for (clock time).
    public let authorizationDelay: Duration
    public let clock: SimulationClock

    public struct OnBoardCharger: Sendable, Hashable {
        public var limits: ACEVLimits
        public var phases: Int
        /// Of the conversion each way, 0…1.
        public var efficiency: Double
        public init(limits: ACEVLimits = ACEVLimits(), phases: Int = 3, efficiency: Double = 0.92) {
            self.limits = limits; self.phases = phases; self.efficiency = efficiency
        }
    }

    /// `controlPilot`: the pilot as the charger first reads it: B with a simulated EV on the same
    /// plant, which switches it; C for a charger whose EV runs elsewhere (no pilot wire between
    /// processes: it reads an EV ready for power).
    public init(battery: Battery = Battery(), limits: DCLimits = DCLimits(), acLimits: ACLimits = ACLimits(),
                onBoardCharger: OnBoardCharger = OnBoardCharger(), controlPilot: ControlPilotState = .b, timeFactor: Double = 60,
                cableCheckDuration: Duration = .milliseconds(200), authorizationDelay: Duration = .milliseconds(100),
                clock: SimulationClock = .realTime()) {
        state = NIOLockedValueBox(State(battery: battery, controlPilot: controlPilot))
        self.timeFactor = timeFactor
        self.limits = limits
        self.acLimits = acLimits
        self.onBoardCharger = onBoardCharger
        self.cableCheckDuration = cableCheckDuration
        self.authorizationDelay = authorizationDelay
        self.clock = clock
    }

    /// Integrates energy up to now: the meter counts what leaves the charger (DC output, or AC
    /// at the grid side); the battery gets the AC share less the on-board charger's losses (and
    /// gives a little more than is fed back).
    private func advance(_ s: inout State) {
        let now = clock.now
        let dt = now - s.lastUpdate
        s.lastUpdate = now
        guard s.contactorsClosed else { return }
        let hours = (Double(dt.components.seconds) + Double(dt.components.attoseconds) / 1e18) * timeFactor / 3600
        let dcWh = s.outputVoltage * s.outputCurrent * hours
        let acWh = s.onBoardChargerPower * hours
        let efficiency = onBoardCharger.efficiency
        let batteryWh = dcWh + (acWh >= 0 ? acWh * efficiency : acWh / efficiency)
        s.energyWh += dcWh + acWh
        s.battery.soc = min(100, max(0, s.battery.soc + batteryWh / s.battery.capacityWh * 100))
    }

    /// The AC power flowing now, watts at the grid side.
    private func acFlow(_ s: State) -> Double { s.contactorsClosed ? s.onBoardChargerPower : 0 }

    public var energyWh: Double { state.withLockedValue { $0.energyWh } }
    public var contactorsClosed: Bool { state.withLockedValue { $0.contactorsClosed } }
    public var outputCurrent: Double { state.withLockedValue { $0.outputCurrent } }
    /// AC active power flowing now, watts (negative: from the EV).
    public var acPower: Double { state.withLockedValue { acFlow($0) } }
    public var controlPilot: ControlPilotState { state.withLockedValue { $0.controlPilot } }
    public var soc: Double { state.withLockedValue { $0.battery.soc } }
    public var battery: Battery { state.withLockedValue { $0.battery } }
    /// When (clock time) the charger first switched power on.
    public var poweredSince: Duration? { state.withLockedValue { $0.poweredSince } }
    /// Since when (clock time) the session is in standby, as the charger was told; nil: not in standby.
    public var standbySince: Duration? { state.withLockedValue { $0.standbySince } }
    /// How many times the charger was told the EV entered standby.
    public var standbyEntries: Int { state.withLockedValue { $0.standbyEntries } }
    /// Clock time spent in standby, over all standby periods that ended.
    public var standbyTotal: Duration { state.withLockedValue { $0.standbyTotal } }

    public func evseInputs(timestamp: UInt64, dynamicPowerSetpoint: Double?) -> EVSEInputs {
        state.withLockedValue { s in
            advance(&s)
            let isolation: IsolationState
            let now = clock.now
            if let started = s.cableCheckStarted { isolation = now - started >= cableCheckDuration ? .valid : .checking } else { isolation = .checking }
            // Authorization (EIM) completes a moment after it is first asked for.
            if s.authorizedAt == nil { s.authorizedAt = now + authorizationDelay }
            let authorized = now >= (s.authorizedAt ?? now)
            return EVSEInputs(authorized: authorized, timestamp: timestamp, meterReadingWh: UInt64(max(0, s.energyWh)),
                              controlPilot: s.controlPilot,
                              dc: DCEVSEInputs(limits: limits, presentVoltage: s.outputVoltage, presentCurrent: s.outputCurrent,
                                               isolation: isolation, dynamicPowerSetpoint: dynamicPowerSetpoint),
                              ac: ACEVSEInputs(limits: acLimits, presentActivePower: ACPhasePower(total: acFlow(s), phases: acLimits.phases),
                                               dynamicPowerSetpoint: dynamicPowerSetpoint))
        }
    }

    /// The charger's hardware carries out a command of the SECC.
    public func evse(_ command: EVSECommand) {
        state.withLockedValue { s in
            advance(&s)
            switch command {
            case .dc(.startCableCheck): s.cableCheckStarted = clock.now
            case .parking:
                // The car park's guidance is not part of the plant.
                break
            case .standby(let on):
                if on && s.standbySince == nil { s.standbyEntries += 1 }
                if !on, let since = s.standbySince { s.standbyTotal += clock.now - since }
                s.standbySince = on ? (s.standbySince ?? clock.now) : nil
            case .dc(.preCharge(let v, _)): s.outputVoltage = v
            case .powerDelivery(let on):
                // The contactor's own interlock: it never closes unless the pilot is in C or D.
                s.contactorsClosed = on && s.controlPilot.readyForPower
                if !s.contactorsClosed { s.outputCurrent = 0 }
                if s.contactorsClosed && s.poweredSince == nil { s.poweredSince = clock.now }
            case .ac:
                // In AC the EV's on-board charger sets the power, not the charger (a charger whose
                // EV runs elsewhere follows the EV's report: `SimulatedEVSE.followsReportedPower`).
                break
            case .dc(.target(_, let i)):
                // The power module follows the target within its limits; the battery sets the voltage.
                s.outputCurrent = max(-limits.maximumDischargeCurrent, min(i, limits.maximumChargeCurrent))
                s.outputVoltage = s.battery.voltage
            }
        }
    }

    /// The session ended: no current, contactors open.
    public func safeState() {
        state.withLockedValue { s in
            advance(&s)
            s.outputCurrent = 0
            s.onBoardChargerPower = 0
            s.contactorsClosed = false
        }
    }

    /// The EV switches the control pilot. Leaving C opens the contactors at once (IEC 61851-1:
    /// the charger de-energises when the EV goes back to B).
    public func setControlPilot(_ pilot: ControlPilotState) {
        state.withLockedValue { s in
            advance(&s)
            s.controlPilot = pilot
            if !pilot.readyForPower { s.contactorsClosed = false; s.outputCurrent = 0 }
        }
    }

    /// The on-board charger is set to draw `watts` (negative: feed back), within its limits.
    public func setOnBoardChargerPower(_ watts: Double) {
        state.withLockedValue { s in
            advance(&s)
            let l = onBoardCharger.limits
            s.onBoardChargerPower = max(-l.maximumDischargePower, min(watts, l.maximumChargePower))
        }
    }

    public func evInputs(timestamp: UInt64, discharge: Bool) -> EVInputs {
        state.withLockedValue { s in
            advance(&s)
            let b = s.battery
            // BMS: full current to 80 %, then tapering towards the target.
            let taper = b.soc < 80 ? 1.0 : max(0.1, (b.targetSOC - b.soc + 5) / 25)
            let current = discharge ? -b.maximumCurrent * 0.5 : b.maximumCurrent * taper
            // Done when the energy flowing stops being wanted: into the battery past the target,
            // out of it (DC_BPT; in Dynamic control the charger picks the direction) past the minimum.
            let flow = s.outputCurrent != 0 ? s.outputCurrent : s.onBoardChargerPower
            let flowingOut = s.contactorsClosed && flow != 0 ? flow < 0 : discharge
            let complete = flowingOut ? b.soc <= b.minimumSOC : b.soc >= b.targetSOC
            var limits = EVLimits()
            limits.maximumChargeCurrent = b.maximumCurrent
            let obc = onBoardCharger
            let acTarget = discharge ? -obc.limits.maximumDischargePower * 0.5 : obc.limits.maximumChargePower * taper
            let wh: (Double) -> Double = { ($0 - b.soc) / 100 * b.capacityWh }
            return EVInputs(timestamp: timestamp, soc: Int8(b.soc.rounded()),
                            energyRequest: max(0, wh(b.targetSOC)), maximumEnergyRequest: max(0, wh(100)),
                            minimumEnergyRequest: wh(b.minimumSOC),
                            // An EV that gives energy back lends the grid the span from its minimum to its target SOC.
                            v2xEnergyRequest: discharge ? V2XEnergyRequest(minimum: wh(b.minimumSOC), maximum: max(0, wh(b.targetSOC))) : nil,
                            chargingComplete: complete,
                            dc: DCEVInputs(limits: limits, presentVoltage: b.voltage, targetVoltage: b.voltage + 5, targetCurrent: current),
                            ac: ACEVInputs(limits: obc.limits, phases: obc.phases, presentActivePower: acFlow(s), targetPower: acTarget))
        }
    }
}
