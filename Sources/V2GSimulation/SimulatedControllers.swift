import NIOConcurrencyHelpers
import ISO20Common
import V2GSession
import XMLDSig

/// A charger: DC power module or AC supply with limits, isolation monitor, meter, EIM authorization.
public final class SimulatedEVSE: EVSEController {
    public let plant: SimulatedPlant
    /// Dynamic control: watts to deliver (negative: take from the EV); nil: as much as allowed.
    public let dynamicPowerSetpoint: Double?
    /// AC: the grid operator lowers the charger's power limit once, mid-session.
    public let gridLimit: GridLimit?
    /// AC, with the EV elsewhere (another process, real hardware): the meter follows the power
    /// the EV reports in the charge loop. False when the EV shares `plant`.
    public let followsReportedPower: Bool
    /// A notification the charger raises once, after power has flowed for a while (a test bench
    /// checking how an EV reacts to Terminate, Pause or a renegotiation).
    public let notification: Notification?
    private let notified = NIOLockedValueBox(false)
    /// The charger ends each standby with ExitStandby this long (clock time) after it began.
    public let exitStandbyAfter: Duration?
    /// The car park's guidance for a vehicle checking in or out (ParkingStatus service).
    public let parking: ParkingGuidance
    private let exitedStandby = NIOLockedValueBox<Duration?>(nil)
    private let parkingLog = NIOLockedValueBox<[VehicleParkingReport]>([])
    /// What vehicles reported about parking, in order.
    public var parkingReports: [VehicleParkingReport] { parkingLog.withLockedValue { $0 } }
    private let receipts = NIOLockedValueBox<[SignedMeteringDataType]>([])
    /// Every meter reading an EV confirmed with its contract key (MeteringConfirmation).
    public var meteringReceipts: [SignedMeteringDataType] { receipts.withLockedValue { $0 } }

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

    /// A power limit (watts over all phases) the grid imposes from `after` (clock time after
    /// power first flowed) on.
    public struct GridLimit: Sendable, Hashable {
        public var watts: Double
        public var after: Duration
        public init(watts: Double, after: Duration) { self.watts = watts; self.after = after }
    }

    public init(plant: SimulatedPlant, dynamicPowerSetpoint: Double? = nil, notification: Notification? = nil,
                gridLimit: GridLimit? = nil, followsReportedPower: Bool = false, exitStandbyAfter: Duration? = nil,
                parking: ParkingGuidance = ParkingGuidance(parkingSpace: 12, deviceLocation: 0, targetDistance: 50)) {
        self.plant = plant
        self.exitStandbyAfter = exitStandbyAfter
        self.parking = parking
        self.dynamicPowerSetpoint = dynamicPowerSetpoint
        self.notification = notification
        self.gridLimit = gridLimit
        self.followsReportedPower = followsReportedPower
    }

    public func inputs(timestamp: UInt64) -> EVSEInputs {
        var inputs = plant.evseInputs(timestamp: timestamp, dynamicPowerSetpoint: dynamicPowerSetpoint)
        if let gridLimit, let since = plant.poweredSince, plant.clock.now - since >= gridLimit.after {
            inputs.ac.gridPowerLimit = gridLimit.watts
        }
        // Once: the SECC sends it in the next ChargeLoopRes and keeps its deadline.
        if let notification, let since = plant.poweredSince, plant.clock.now - since >= notification.after,
           notified.withLockedValue({ done in defer { done = true }; return !done }) {
            inputs.notification = notification.kind
            inputs.notificationMaxDelay = notification.maxDelay
        }
        // ExitStandby once per standby period, after the configured time in it.
        if let exitStandbyAfter, let since = plant.standbySince, plant.clock.now - since >= exitStandbyAfter,
           exitedStandby.withLockedValue({ last in defer { last = since }; return last != since }) {
            inputs.notification = .exitStandby
        }
        inputs.parking = parking
        return inputs
    }

    public func perform(_ command: EVSECommand) {
        if case .parking(let report) = command { parkingLog.withLockedValue { $0.append(report) } }
        plant.evse(command)
        if followsReportedPower, case .ac(.chargeLoop(_, let evPresent)) = command { plant.setOnBoardChargerPower(evPresent) }
    }

    public func sessionEnded(_ end: SessionEnd) { plant.safeState() }

    public func meteringConfirmed(_ data: SignedMeteringDataType, signature: SignatureType) {
        receipts.withLockedValue { $0.append(data) }
    }
}

/// A vehicle: battery with SOC and voltage curve, BMS current limits, target SOC, an on-board
/// charger for AC, and the control pilot.
public final class SimulatedEV: EVController {
    public let plant: SimulatedPlant
    /// DC_BPT: give energy back until the minimum SOC.
    public let discharge: Bool
    /// True when the charger runs elsewhere (another process, real hardware): the battery then
    /// follows the output the charger reports in the charge loop. False when it shares `plant`.
    public let followsReportedOutput: Bool

    /// The driver pauses charging once the battery reaches this SOC (SessionStop(Pause)).
    public let pauseAtSOC: Double?
    /// The EV's energy manager wants standby from this SOC on, for this long (clock time).
    public let standby: StandbyPlan?
    private let standbyWanted = NIOLockedValueBox<Duration?>(nil)

    public struct StandbyPlan: Sendable, Hashable {
        public var atSOC: Double
        public var duration: Duration
        public init(atSOC: Double, duration: Duration) { self.atSOC = atSOC; self.duration = duration }
    }

    public init(plant: SimulatedPlant, discharge: Bool = false, followsReportedOutput: Bool = false, pauseAtSOC: Double? = nil,
                standby: StandbyPlan? = nil) {
        self.plant = plant
        self.discharge = discharge
        self.followsReportedOutput = followsReportedOutput
        self.pauseAtSOC = pauseAtSOC
        self.standby = standby
    }

    public func inputs(timestamp: UInt64) -> EVInputs {
        var inputs = plant.evInputs(timestamp: timestamp, discharge: discharge)
        if let pauseAtSOC { inputs.pauseRequested = plant.soc >= pauseAtSOC }
        if let standby, plant.soc >= standby.atSOC {
            let now = plant.clock.now
            let since = standbyWanted.withLockedValue { since in since = since ?? now; return since ?? now }
            inputs.standbyRequested = now - since < standby.duration
        }
        return inputs
    }

    public func perform(_ command: EVCommand) {
        switch command {
        case .controlPilot(let pilot):
            plant.setControlPilot(pilot)
        case .parkingGuidance(let guidance):
            parking.withLockedValue { $0.append(guidance) }
        case .ac(.activePower(let watts)):
            plant.setOnBoardChargerPower(watts)
            // With the charger elsewhere, its contactor is closed once it answers the loop.
            if followsReportedOutput { plant.evse(.powerDelivery(on: true)) }
        case .dc(.evsePresent(let v, let i)):
            guard followsReportedOutput else { return }
            plant.evse(.powerDelivery(on: true))
            plant.evse(.dc(.target(voltage: v, current: i)))
        }
    }

    public func sessionEnded(_ end: SessionEnd) {
        if followsReportedOutput { plant.safeState() }
    }

    private let vas = NIOLockedValueBox<[SelectedValueAddedService]>([])
    /// The value-added services the charger accepted for the session.
    public var valueAddedServices: [SelectedValueAddedService] { vas.withLockedValue { $0 } }

    public func valueAddedServicesSelected(_ services: [SelectedValueAddedService]) {
        vas.withLockedValue { $0 = services }
    }

    private let parking = NIOLockedValueBox<[ParkingGuidance]>([])
    /// The car park's answers to the EV's VehicleCheckIn/VehicleCheckOut, in order.
    public var parkingGuidance: [ParkingGuidance] { parking.withLockedValue { $0 } }

    private let priceSchedules = NIOLockedValueBox<Result<String, PriceScheduleRefusal>?>(nil)
    /// What the EV's runtime concluded about signed price schedules, if any came.
    public var priceScheduleCheck: Result<String, PriceScheduleRefusal>? { priceSchedules.withLockedValue { $0 } }

    public func priceSchedulesChecked(_ result: Result<String, PriceScheduleRefusal>) {
        priceSchedules.withLockedValue { $0 = result }
    }
}
