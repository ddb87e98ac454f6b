import ISO20Common

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
    /// EIM and/or PnC, in the order offered. PnC is offered only over TLS.
    public var authorizationServices: [AuthorizationType]
    /// The eMSPs whose contracts this charger accepts (AuthorizationSetupRes SupportedProviders,
    /// with PnC); nil: any.
    public var supportedProviders: [String]?
    /// Announce CertificateInstallationService (with PnC, over TLS): the runtime has a backend
    /// that provides contracts (`SECCCertificateInstallation`).
    public var certificateInstallationService = false
    /// Sign the price schedules of ScheduleExchangeRes (the runtime holds the key:
    /// `SECCAction.signPriceSchedules`).
    public var signsPriceSchedules = false
    public var energyServices: [EnergyService]
    /// Value-added services offered beside the energy service (Internet, parking status); none by default.
    public var valueAddedServices: [ValueAddedService] = []
    public var serviceRenegotiationSupported: Bool
    /// Whether the EV may go to standby (PowerDelivery(Standby)); otherwise it is answered
    /// WARNING_StandbyNotAllowed and the session goes on.
    public var standbyAllowed = true
    /// Published in ScheduleExchangeRes for parameter sets with Pricing = 2.
    public var priceLevelTariff: PriceLevelTariff
    /// Published in ScheduleExchangeRes for parameter sets with Pricing = 1; its TimeAnchor is
    /// set to the response's time and its price rule stacks are cut to MaximumSupportingPoints.
    public var absoluteTariff: AbsolutePriceScheduleType?

    public init(evseID: String, supportedProtocols: [V2GProtocol] = [.iso20DC, .iso20AC], authorizationServices: [AuthorizationType] = [.eim],
                energyServices: [EnergyService] = [.dc, .dcBPT, .ac, .acBPT], serviceRenegotiationSupported: Bool = false,
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
