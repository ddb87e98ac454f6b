import NIOConcurrencyHelpers
import V2GSession

/// The physics between a simulated charger and a simulated vehicle: the DC output, the contactors,
/// the battery. Its `clock` drives it (real time in a run, a manual clock in tests), sped up by
/// `timeFactor` so a session takes seconds.
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
        var contactorsClosed = false
        var poweredSince: Duration?
        var cableCheckStarted: Duration?
        var energyWh: Double = 0
        var lastUpdate: Duration = .zero
        var authorizedAt: Duration?
    }

    private let state: NIOLockedValueBox<State>
    public let timeFactor: Double
    public let limits: DCLimits
    /// Isolation test duration (clock time).
    public let cableCheckDuration: Duration
    /// How long EIM authorization takes once it is first asked for (clock time).
    public let authorizationDelay: Duration
    public let clock: SimulationClock

    public init(battery: Battery = Battery(), limits: DCLimits = DCLimits(), timeFactor: Double = 60,
                cableCheckDuration: Duration = .milliseconds(200), authorizationDelay: Duration = .milliseconds(100),
                clock: SimulationClock = .realTime()) {
        state = NIOLockedValueBox(State(battery: battery))
        self.timeFactor = timeFactor
        self.limits = limits
        self.cableCheckDuration = cableCheckDuration
        self.authorizationDelay = authorizationDelay
        self.clock = clock
    }

    /// Integrates energy up to now.
    private func advance(_ s: inout State) {
        let now = clock.now
        let dt = now - s.lastUpdate
        s.lastUpdate = now
        guard s.contactorsClosed, s.outputCurrent != 0 else { return }
        let hours = (Double(dt.components.seconds) + Double(dt.components.attoseconds) / 1e18) * timeFactor / 3600
        let wh = s.outputVoltage * s.outputCurrent * hours
        s.energyWh += wh
        s.battery.soc = min(100, max(0, s.battery.soc + wh / s.battery.capacityWh * 100))
    }

    public var energyWh: Double { state.withLockedValue { $0.energyWh } }
    public var contactorsClosed: Bool { state.withLockedValue { $0.contactorsClosed } }
    public var outputCurrent: Double { state.withLockedValue { $0.outputCurrent } }
    public var soc: Double { state.withLockedValue { $0.battery.soc } }
    public var battery: Battery { state.withLockedValue { $0.battery } }
    /// When (clock time) the charger first switched power on.
    public var poweredSince: Duration? { state.withLockedValue { $0.poweredSince } }

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
                              dc: DCEVSEInputs(limits: limits, presentVoltage: s.outputVoltage, presentCurrent: s.outputCurrent,
                                               isolation: isolation, dynamicPowerSetpoint: dynamicPowerSetpoint))
        }
    }

    /// The charger's hardware carries out a command of the SECC.
    public func evse(_ command: EVSECommand) {
        state.withLockedValue { s in
            advance(&s)
            switch command {
            case .dc(.startCableCheck): s.cableCheckStarted = clock.now
            case .dc(.preCharge(let v, _)): s.outputVoltage = v
            case .powerDelivery(let on):
                s.contactorsClosed = on
                if !on { s.outputCurrent = 0 }
                if on && s.poweredSince == nil { s.poweredSince = clock.now }
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
            s.contactorsClosed = false
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
            let flowingOut = s.contactorsClosed && s.outputCurrent != 0 ? s.outputCurrent < 0 : discharge
            let complete = flowingOut ? b.soc <= b.minimumSOC : b.soc >= b.targetSOC
            var limits = EVLimits()
            limits.maximumChargeCurrent = b.maximumCurrent
            return EVInputs(timestamp: timestamp, soc: Int8(b.soc.rounded()),
                            energyRequest: max(0, (b.targetSOC - b.soc) / 100 * b.capacityWh), chargingComplete: complete,
                            dc: DCEVInputs(limits: limits, presentVoltage: b.voltage, targetVoltage: b.voltage + 5, targetCurrent: current))
        }
    }
}
