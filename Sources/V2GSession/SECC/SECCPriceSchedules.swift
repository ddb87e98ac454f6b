import ISO20Common

/// The price schedule of ScheduleExchangeRes, from the configured tariffs.
extension SECCSession {
    /// The two forms a price schedule takes (the same choice in ChargingSchedule and
    /// Dynamic_SEResControlMode).
    enum PriceSchedule {
        case absolute(AbsolutePriceScheduleType), levels(PriceLevelScheduleType)

        var inChargingSchedule: ChargingScheduleType.Schedule {
            switch self { case .absolute(let a): .absolutePriceSchedule(a); case .levels(let l): .priceLevelSchedule(l) }
        }
        var inDynamicControlMode: Dynamic_SEResControlModeType.Schedule {
            switch self { case .absolute(let a): .absolutePriceSchedule(a); case .levels(let l): .priceLevelSchedule(l) }
        }
    }

    /// The configured tariff for the selected parameter set's Pricing, anchored at the response's
    /// time and cut to the EV's MaximumSupportingPoints; nil for Pricing = 0 or no tariff.
    func priceSchedule(_ evse: EVSEInputs, maximumEntries: UInt16) -> PriceSchedule? {
        guard let selected = selectedService,
              let service = configuration.energyServices.first(where: { $0.serviceID == selected.serviceID }) else { return nil }
        let limit = max(1, min(1024, Int(maximumEntries)))
        switch service.pricing(parameterSetID: selected.parameterSetID) {
        case .none:
            return nil
        case .absolute:
            guard var tariff = configuration.absoluteTariff, !tariff.priceRuleStacks.priceRuleStack.isEmpty else { return nil }
            tariff.timeAnchor = evse.timestamp
            tariff.priceRuleStacks.priceRuleStack = Array(tariff.priceRuleStacks.priceRuleStack.prefix(limit))
            return .absolute(tariff)
        case .priceLevels:
            let tariff = configuration.priceLevelTariff
            guard !tariff.periods.isEmpty else { return nil }
            return .levels(PriceLevelScheduleType(
                timeAnchor: evse.timestamp, priceScheduleID: 1, numberOfPriceLevels: tariff.numberOfPriceLevels,
                priceLevelScheduleEntries: PriceLevelScheduleEntryListType(priceLevelScheduleEntry: tariff.periods.prefix(limit).map {
                    PriceLevelScheduleEntryType(duration: $0.duration, priceLevel: $0.level) })))
        }
    }
}
