import NIOConcurrencyHelpers
import ISO20Common
import V2GSession

/// A charger: DC power module with limits, isolation monitor, meter, EIM authorization.
public final class SimulatedEVSE: EVSEController {
    public let plant: SimulatedPlant
    /// Dynamic control: watts to deliver (negative: take from the EV); nil: as much as allowed.
    public let dynamicPowerSetpoint: Double?
    /// A notification the charger raises once, after power has flowed for a while (a test bench
    /// checking how an EV reacts to Terminate, Pause or a renegotiation).
    public let notification: Notification?
    private let notified = NIOLockedValueBox(false)

    public struct Notification: Sendable, Hashable {
        public var kind: EvseNotificationType
        /// Clock time after power delivery started.
        public var after: Duration
        /// NotificationMaxDelay, seconds.
        public var maxDelay: UInt16
        public init(_ kind: EvseNotificationType, after: Duration, maxDelay: UInt16 = 60) {
            self.kind = kind; self.after = after; self.maxDelay = maxDelay
        }
    }

    public init(plant: SimulatedPlant, dynamicPowerSetpoint: Double? = nil, notification: Notification? = nil) {
        self.plant = plant
        self.dynamicPowerSetpoint = dynamicPowerSetpoint
        self.notification = notification
    }

    public func inputs(timestamp: UInt64) -> EVSEInputs {
        var inputs = plant.evseInputs(timestamp: timestamp, dynamicPowerSetpoint: dynamicPowerSetpoint)
        // Once: the SECC sends it in the next ChargeLoopRes and keeps its deadline.
        if let notification, let since = plant.poweredSince, plant.clock.now - since >= notification.after,
           notified.withLockedValue({ done in defer { done = true }; return !done }) {
            inputs.notification = notification.kind
            inputs.notificationMaxDelay = notification.maxDelay
        }
        return inputs
    }

    public func perform(_ command: EVSECommand) { plant.evse(command) }
    public func sessionEnded(_ end: SessionEnd) { plant.safeState() }
}

/// A vehicle: battery with SOC and voltage curve, BMS current limits, target SOC.
public final class SimulatedEV: EVController {
    public let plant: SimulatedPlant
    /// DC_BPT: give energy back until the minimum SOC.
    public let discharge: Bool
    /// True when the charger runs elsewhere (another process, real hardware): the battery then
    /// follows the output the charger reports in the charge loop. False when it shares `plant`.
    public let followsReportedOutput: Bool

    /// The driver pauses charging once the battery reaches this SOC (SessionStop(Pause)).
    public let pauseAtSOC: Double?

    public init(plant: SimulatedPlant, discharge: Bool = false, followsReportedOutput: Bool = false, pauseAtSOC: Double? = nil) {
        self.plant = plant
        self.discharge = discharge
        self.followsReportedOutput = followsReportedOutput
        self.pauseAtSOC = pauseAtSOC
    }

    public func inputs(timestamp: UInt64) -> EVInputs {
        var inputs = plant.evInputs(timestamp: timestamp, discharge: discharge)
        if let pauseAtSOC { inputs.pauseRequested = plant.soc >= pauseAtSOC }
        return inputs
    }

    public func perform(_ command: EVCommand) {
        guard followsReportedOutput, case .dc(.evsePresent(let v, let i)) = command else { return }
        plant.evse(.powerDelivery(on: true))
        plant.evse(.dc(.target(voltage: v, current: i)))
    }

    public func sessionEnded(_ end: SessionEnd) {
        if followsReportedOutput { plant.safeState() }
    }
}
