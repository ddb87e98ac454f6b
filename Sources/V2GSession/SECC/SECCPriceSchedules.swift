import ISO20Common
import XMLDSig

/// The price schedule of ScheduleExchangeRes, from the configured tariffs.
extension SECCSession {
    /// The two forms a price schedule takes (the same choice in ChargingSchedule and
    /// Dynamic_SEResControlMode).
    enum PriceSchedule {
        case absolute(AbsolutePriceScheduleType), levels(PriceLevelScheduleType)

        init?(_ schedule: ChargingScheduleType.Schedule?) {
            switch schedule {
            case .absolutePriceSchedule(let a)?: self = .absolute(a)
            case .priceLevelSchedule(let l)?: self = .levels(l)
            case nil: return nil
            }
        }
        init?(_ schedule: Dynamic_SEResControlModeType.Schedule?) {
            switch schedule {
            case .absolutePriceSchedule(let a)?: self = .absolute(a)
            case .priceLevelSchedule(let l)?: self = .levels(l)
            case nil: return nil
            }
        }

        var inChargingSchedule: ChargingScheduleType.Schedule {
            switch self { case .absolute(let a): .absolutePriceSchedule(a); case .levels(let l): .priceLevelSchedule(l) }
        }
        var inDynamicControlMode: Dynamic_SEResControlModeType.Schedule {
            switch self { case .absolute(let a): .absolutePriceSchedule(a); case .levels(let l): .priceLevelSchedule(l) }
        }
    }

    /// Gives every price schedule in `control` an Id (PriceSchedule1, PriceSchedule2, … in document
    /// order: a discharging schedule's copy is a schedule of its own) and returns them as the
    /// fragments the header Signature references.
    static func identifyPriceSchedules(_ control: inout ScheduleExchangeResType.SEResControlMode) -> [CommonMessagesFragment] {
        var fragments: [CommonMessagesFragment] = []
        func identified(_ schedule: PriceSchedule?) -> PriceSchedule? {
            switch schedule {
            case .absolute(var a)?:
                a.id = "PriceSchedule\(fragments.count + 1)"
                fragments.append(.absolutePriceSchedule(a))
                return .absolute(a)
            case .levels(var l)?:
                l.id = "PriceSchedule\(fragments.count + 1)"
                fragments.append(.priceLevelSchedule(l))
                return .levels(l)
            case nil:
                return nil
            }
        }
        switch control {
        case .scheduled_SEResControlMode(var scheduled):
            for i in scheduled.scheduleTuple.indices {
                scheduled.scheduleTuple[i].chargingSchedule.schedule =
                    identified(PriceSchedule(scheduled.scheduleTuple[i].chargingSchedule.schedule))?.inChargingSchedule
                if let discharging = scheduled.scheduleTuple[i].dischargingSchedule {
                    scheduled.scheduleTuple[i].dischargingSchedule?.schedule = identified(PriceSchedule(discharging.schedule))?.inChargingSchedule
                }
            }
            control = .scheduled_SEResControlMode(scheduled)
        case .dynamic_SEResControlMode(var dynamic):
            dynamic.schedule = identified(PriceSchedule(dynamic.schedule))?.inDynamicControlMode
            control = .dynamic_SEResControlMode(dynamic)
        }
        return fragments
    }

    /// The runtime's Signature for `SECCAction.signPriceSchedules`: the held ScheduleExchangeRes
    /// goes out with it (unsigned, the schedules still identified, if signing failed).
    public mutating func priceSchedulesSigned(_ signature: SignatureType?, evse: EVSEInputs) -> [SECCAction] {
        guard var response = pendingScheduleExchange?.response, let stream = pendingScheduleExchange?.stream, state != .ended else { return [] }
        pendingScheduleExchange = nil
        response.header = header(evse)
        response.header.signature = signature
        return respond(.common(.scheduleExchangeRes(response)), on: stream)
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
