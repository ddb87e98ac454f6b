import ISO20Common

/// An energy transfer service the SECC offers, with its parameter sets (ServiceDetailRes).
public struct EnergyService: Sendable, Hashable {
    public var serviceID: UInt16
    public var freeService: Bool
    public var parameterSets: [ParameterSetType]

    public init(serviceID: UInt16, freeService: Bool = false, parameterSets: [ParameterSetType]) {
        self.serviceID = serviceID; self.freeService = freeService; self.parameterSets = parameterSets
    }

    /// Service IDs (PROTOCOL-NOTES §7).
    public static let dcServiceID: UInt16 = 2
    public static let dcBPTServiceID: UInt16 = 6

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
        EnergyService(serviceID: dcServiceID, parameterSets: controlModes.map { parameterSet($0, bpt: false, pricing: pricing) })
    }

    /// DC_BPT offering the given control modes, in this order.
    public static func dcBPT(controlModes: [ControlMode] = [.scheduled, .dynamic], pricing: Pricing = .priceLevels) -> EnergyService {
        EnergyService(serviceID: dcBPTServiceID, parameterSets: controlModes.map { parameterSet($0, bpt: true, pricing: pricing) })
    }

    static func parameterSet(_ mode: ControlMode, bpt: Bool, pricing: Pricing) -> ParameterSetType {
        let controlMode = Int32(mode.rawValue)
        var parameters = [
            ParameterType(name: "Connector", choice: .intValue(2)),
            ParameterType(name: "ControlMode", choice: .intValue(controlMode)),
            ParameterType(name: "MobilityNeedsMode", choice: .intValue(controlMode == 2 ? 2 : 1)),
            ParameterType(name: "Pricing", choice: .intValue(Int32(pricing.rawValue))),
        ]
        if bpt {
            parameters += [ParameterType(name: "BPTChannel", choice: .intValue(1)),
                           ParameterType(name: "GeneratorMode", choice: .intValue(1))]
        }
        return ParameterSetType(parameterSetID: UInt16(mode.rawValue), parameter: parameters)
    }

    /// The `Pricing` parameter of a DC parameter set (PROTOCOL-NOTES §7).
    public enum Pricing: Int, Sendable, Hashable {
        /// No price information: ScheduleExchangeRes carries no price schedule (falls short of
        /// [V2G20-2176]; some EVs, Josev's among them, reject such a Scheduled response).
        case none = 0
        /// Absolute prices: ScheduleExchangeRes carries the configured AbsolutePriceSchedule.
        case absolute = 1
        /// Price levels: ScheduleExchangeRes carries a PriceLevelSchedule from `PriceLevelTariff`.
        case priceLevels = 2
    }

    /// The `Pricing` value of one of this service's parameter sets.
    public func pricing(parameterSetID: UInt16) -> Pricing {
        let set = parameterSets.first { $0.parameterSetID == parameterSetID }
        let value = set?.parameter.first { $0.name == "Pricing" }?.choice
        if case .intValue(let v)? = value, let pricing = Pricing(rawValue: Int(v)) { return pricing }
        return .none
    }
}

/// The price levels the SECC publishes in ScheduleExchangeRes when the selected parameter set has
/// Pricing = 2: a number of levels (0 cheapest) and consecutive periods from the time anchor.
public struct PriceLevelTariff: Sendable, Hashable {
    public var numberOfPriceLevels: UInt8
    /// (duration in seconds, price level) from the schedule's TimeAnchor on; at most 1024 entries.
    public var periods: [Period]

    public struct Period: Sendable, Hashable {
        public var duration: UInt32
        public var level: UInt8
        public init(duration: UInt32, level: UInt8) { self.duration = duration; self.level = level }
    }

    public init(numberOfPriceLevels: UInt8, periods: [Period]) {
        self.numberOfPriceLevels = numberOfPriceLevels; self.periods = periods
    }

    /// One level for 24 hours: a flat tariff.
    public static let flat = PriceLevelTariff(numberOfPriceLevels: 1, periods: [Period(duration: 86_400, level: 0)])
}

extension AbsolutePriceScheduleType {
    /// The price algorithm of a plain energy price: cost = energy × EnergyFee of the power range
    /// in use (PROTOCOL-NOTES §7, `…:PriceAlgorithm:1-Power`).
    public static let powerAlgorithm = "urn:iso:std:iso:15118:-20:PriceAlgorithm:1-Power"

    /// One price per kWh around the clock: one price rule stack of 24 hours, one rule from 0 W.
    /// `currency`: ISO 4217 (3 letters); `language`: ISO 639-2 (3 letters).
    public static func flatEnergyPrice(perKWh price: Double, currency: String = "EUR", language: String = "eng") -> Self {
        AbsolutePriceScheduleType(
            timeAnchor: 0, priceScheduleID: 1, currency: currency, language: language, priceAlgorithm: powerAlgorithm,
            priceRuleStacks: PriceRuleStackListType(priceRuleStack: [PriceRuleStackType(duration: 86_400, priceRule: [
                PriceRuleType(energyFee: RationalNumberType(price), powerRangeStart: RationalNumberType(0))])]))
    }
}

/// What the SECC is: its identity, the protocols and services it offers.
public struct SECCConfiguration: Sendable {
    public var evseID: String
    public var supportedProtocols: [V2GProtocol]
    public var authorizationServices: [AuthorizationType]
    public var energyServices: [EnergyService]
    public var serviceRenegotiationSupported: Bool
    /// Published in ScheduleExchangeRes for parameter sets with Pricing = 2.
    public var priceLevelTariff: PriceLevelTariff
    /// Published in ScheduleExchangeRes for parameter sets with Pricing = 1; its TimeAnchor is
    /// set to the response's time and its price rule stacks are cut to MaximumSupportingPoints.
    public var absoluteTariff: AbsolutePriceScheduleType?

    public init(evseID: String, supportedProtocols: [V2GProtocol] = [.iso20DC], authorizationServices: [AuthorizationType] = [.eim],
                energyServices: [EnergyService] = [.dc, .dcBPT], serviceRenegotiationSupported: Bool = false,
                priceLevelTariff: PriceLevelTariff = .flat, absoluteTariff: AbsolutePriceScheduleType? = nil) {
        self.evseID = evseID
        self.priceLevelTariff = priceLevelTariff
        self.absoluteTariff = absoluteTariff
        self.supportedProtocols = supportedProtocols
        self.authorizationServices = authorizationServices
        self.energyServices = energyServices
        self.serviceRenegotiationSupported = serviceRenegotiationSupported
    }
}

/// The DC power module's limits, in volts, amperes and watts. Discharge limits apply to DC_BPT.
public struct DCLimits: Sendable, Hashable {
    public var maximumChargePower: Double
    public var minimumChargePower: Double
    public var maximumChargeCurrent: Double
    public var minimumChargeCurrent: Double
    public var maximumVoltage: Double
    public var minimumVoltage: Double
    public var maximumDischargePower: Double
    public var minimumDischargePower: Double
    public var maximumDischargeCurrent: Double
    public var minimumDischargeCurrent: Double

    public init(maximumChargePower: Double = 150_000, minimumChargePower: Double = 1_000, maximumChargeCurrent: Double = 350,
                minimumChargeCurrent: Double = 1, maximumVoltage: Double = 920, minimumVoltage: Double = 150,
                maximumDischargePower: Double = 50_000, minimumDischargePower: Double = 1_000,
                maximumDischargeCurrent: Double = 120, minimumDischargeCurrent: Double = 1) {
        self.maximumChargePower = maximumChargePower; self.minimumChargePower = minimumChargePower
        self.maximumChargeCurrent = maximumChargeCurrent; self.minimumChargeCurrent = minimumChargeCurrent
        self.maximumVoltage = maximumVoltage; self.minimumVoltage = minimumVoltage
        self.maximumDischargePower = maximumDischargePower; self.minimumDischargePower = minimumDischargePower
        self.maximumDischargeCurrent = maximumDischargeCurrent; self.minimumDischargeCurrent = minimumDischargeCurrent
    }
}

/// The isolation monitor's view of the cable.
public enum IsolationState: Sendable, Hashable {
    case checking
    case valid
    case fault
}

/// What the charger's controller reports at the moment a request is handled; the runtime reads it
/// from `EVSEController` and passes it in, so the state machine stays pure.
public struct EVSEInputs: Sendable, Hashable {
    /// EIM: has the customer been authorized (RFID, app, free charging)?
    public var authorized: Bool
    /// The current time as the header's TimeStamp (seconds since the Unix epoch).
    public var timestamp: UInt64
    public var limits: DCLimits
    public var presentVoltage: Double
    /// Positive when charging the EV, negative when discharging it.
    public var presentCurrent: Double
    public var isolation: IsolationState
    /// Energy delivered so far and the meter's ID, for MeterInfo ([V2G20-1081]).
    public var meterID: String
    public var meterReadingWh: UInt64
    /// A notification to pass to the EV (EVSEStatus), with its NotificationMaxDelay in seconds.
    public var notification: EvseNotificationType?
    public var notificationMaxDelay: UInt16
    /// In the Dynamic control modes the EVSE decides the power: this setpoint in watts (negative
    /// discharges the EV, DC_BPT); nil charges as fast as both sides' limits allow.
    public var dynamicPowerSetpoint: Double?

    public init(authorized: Bool = true, timestamp: UInt64 = 0, limits: DCLimits = DCLimits(), presentVoltage: Double = 0,
                presentCurrent: Double = 0, isolation: IsolationState = .valid, meterID: String = "METER-1",
                meterReadingWh: UInt64 = 0, notification: EvseNotificationType? = nil, notificationMaxDelay: UInt16 = 0,
                dynamicPowerSetpoint: Double? = nil) {
        self.authorized = authorized; self.timestamp = timestamp; self.limits = limits
        self.presentVoltage = presentVoltage; self.presentCurrent = presentCurrent; self.isolation = isolation
        self.meterID = meterID; self.meterReadingWh = meterReadingWh
        self.notification = notification; self.notificationMaxDelay = notificationMaxDelay
        self.dynamicPowerSetpoint = dynamicPowerSetpoint
    }
}
