import ISO20Common
import ISO20DC

/// The DC part of the SECC sequence: DC_ChargeParameterDiscovery, ScheduleExchange, DC_CableCheck,
/// DC_PreCharge, PowerDelivery, DC_ChargeLoop (Scheduled, Dynamic and their BPT forms),
/// DC_WeldingDetection.
extension SECCSession {
    var isBPT: Bool { selectedService?.serviceID == EnergyService.dcBPTServiceID }

    mutating func chargeParameterDiscovery(_ m: DC_ChargeParameterDiscoveryReqType, _ evse: EVSEInputs) -> [SECCAction] {
        let l = evse.limits
        announcedLimits = l
        let r: (Double) -> RationalNumberType = { RationalNumberType($0) }
        let mode: DC_ChargeParameterDiscoveryResType.DC_CPDResEnergyTransferMode
        switch (m.dc_CPDReqEnergyTransferMode, isBPT) {
        case (.bpt_DC_CPDReqEnergyTransferMode, true):
            mode = .bpt_DC_CPDResEnergyTransferMode(BPT_DC_CPDResEnergyTransferModeType(
                evseMaximumChargePower: r(l.maximumChargePower), evseMinimumChargePower: r(l.minimumChargePower),
                evseMaximumChargeCurrent: r(l.maximumChargeCurrent), evseMinimumChargeCurrent: r(l.minimumChargeCurrent),
                evseMaximumVoltage: r(l.maximumVoltage), evseMinimumVoltage: r(l.minimumVoltage),
                evseMaximumDischargePower: r(l.maximumDischargePower), evseMinimumDischargePower: r(l.minimumDischargePower),
                evseMaximumDischargeCurrent: r(l.maximumDischargeCurrent), evseMinimumDischargeCurrent: r(l.minimumDischargeCurrent)))
        case (.dc_CPDReqEnergyTransferMode, false):
            mode = .dc_CPDResEnergyTransferMode(DC_CPDResEnergyTransferModeType(
                evseMaximumChargePower: r(l.maximumChargePower), evseMinimumChargePower: r(l.minimumChargePower),
                evseMaximumChargeCurrent: r(l.maximumChargeCurrent), evseMinimumChargeCurrent: r(l.minimumChargeCurrent),
                evseMaximumVoltage: r(l.maximumVoltage), evseMinimumVoltage: r(l.minimumVoltage)))
        default:
            return failed(.dc(.dc_ChargeParameterDiscoveryReq(m)), .dcChargeParameterDiscovery, .failed_WrongChargeParameter, evse,
                          "charge parameters do not fit the selected service \(selectedService?.serviceID ?? 0)")
        }
        state = .waitingForScheduleExchange
        return respond(.dc(.dc_ChargeParameterDiscoveryRes(DC_ChargeParameterDiscoveryResType(
            header: header(evse), responseCode: .ok, dc_CPDResEnergyTransferMode: mode))))
    }

    /// Scheduled: one schedule tuple of one entry at the announced maximum for 24 hours (and its
    /// discharging mirror for BPT). Dynamic: the EV follows the charge loop's limits. Both carry
    /// the price schedule the selected parameter set's Pricing names ([V2G20-2176]).
    mutating func scheduleExchange(_ m: ScheduleExchangeReqType, _ evse: EVSEInputs) -> [SECCAction] {
        let l = announcedLimits ?? evse.limits
        let prices = priceSchedule(evse, maximumEntries: m.maximumSupportingPoints)
        let control: ScheduleExchangeResType.SEResControlMode
        switch m.seReqControlMode {
        case .scheduled_SEReqControlMode:
            func schedule(_ watts: Double) -> ChargingScheduleType {
                ChargingScheduleType(powerSchedule: PowerScheduleType(
                    timeAnchor: evse.timestamp,
                    powerScheduleEntries: PowerScheduleEntryListType(powerScheduleEntry: [
                        PowerScheduleEntryType(duration: 86_400, power: RationalNumberType(watts))])),
                    schedule: prices?.inChargingSchedule)
            }
            control = .scheduled_SEResControlMode(Scheduled_SEResControlModeType(scheduleTuple: [
                ScheduleTupleType(scheduleTupleID: 1, chargingSchedule: schedule(l.maximumChargePower),
                                  dischargingSchedule: isBPT ? schedule(-l.maximumDischargePower) : nil)]))
        case .dynamic_SEReqControlMode(let d):
            control = .dynamic_SEResControlMode(Dynamic_SEResControlModeType(
                departureTime: d.departureTime, schedule: prices?.inDynamicControlMode))
        }
        // A renegotiated schedule goes straight back to PowerDelivery(Start): power stays on.
        state = state == .renegotiatingSchedule ? .waitingForPowerDeliveryAfterRenegotiation : .waitingForCableCheck
        return respond(.common(.scheduleExchangeRes(ScheduleExchangeResType(
            header: header(evse), responseCode: .ok, evseProcessing: .finished, seResControlMode: control))))
    }

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

    mutating func cableCheck(_ evse: EVSEInputs) -> [SECCAction] {
        var actions: [SECCAction] = []
        if !cableCheckStarted {
            cableCheckStarted = true
            actions.append(.startCableCheck)
        }
        switch evse.isolation {
        case .checking:
            return actions + respond(.dc(.dc_CableCheckRes(DC_CableCheckResType(header: header(evse), responseCode: .ok, evseProcessing: .ongoing))))
        case .valid:
            state = .preCharging
            return actions + respond(.dc(.dc_CableCheckRes(DC_CableCheckResType(header: header(evse), responseCode: .ok, evseProcessing: .finished))))
        case .fault:
            return actions + failed(.dc(.dc_CableCheckReq(DC_CableCheckReqType(header: header(evse)))), .dcCableCheck, .failed, evse,
                                    "isolation fault on the DC output")
        }
    }

    mutating func preCharge(_ m: DC_PreChargeReqType, _ evse: EVSEInputs) -> [SECCAction] {
        let target = min(m.evTargetVoltage.doubleValue, (announcedLimits ?? evse.limits).maximumVoltage)
        return [.preCharge(voltage: target, current: 2)] + respond(.dc(.dc_PreChargeRes(DC_PreChargeResType(
            header: header(evse), responseCode: .ok, evsePresentVoltage: RationalNumberType(evse.presentVoltage)))))
    }

    /// PowerDelivery(Start) after pre-charge closes the contactors; Stop opens them;
    /// ScheduleRenegotiation leads, power on, through a new ScheduleExchange back to Start. With
    /// EVProcessing = Ongoing the EV has not finished its power profile and will repeat the request
    /// (Josev's EV does so at random): the SECC answers OK and waits for the Finished one before
    /// switching power on, so a repeated Start is not a sequence error.
    mutating func powerDelivery(_ m: PowerDeliveryReqType, _ evse: EVSEInputs) -> [SECCAction] {
        let status = evse.notification.map { EVSEStatusType(notificationMaxDelay: evse.notificationMaxDelay, evseNotification: $0) }
        let ok = respond(.common(.powerDeliveryRes(PowerDeliveryResType(header: header(evse), responseCode: .ok, evseStatus: status))))
        switch m.chargeProgress {
        case .start where state == .preCharging && m.evProcessing != .finished:
            return ok
        case .start where state == .preCharging:
            state = .charging
            return [.powerDelivery(on: true)] + ok
        case .start where state == .waitingForPowerDeliveryAfterRenegotiation:
            state = .charging
            return ok
        case .scheduleRenegotiation where state == .charging:
            // The EV asks for a new schedule; power stays on while it is agreed.
            state = .renegotiatingSchedule
            notificationDeadline = nil
            return ok
        case .stop where state == .charging || state == .waitingForPowerDeliveryAfterRenegotiation:
            // Also after a renegotiated schedule: the EV may stop instead of going on.
            state = .waitingForWeldingDetection
            notificationDeadline = nil
            powerDeliveryStopOngoing = m.evProcessing != .finished
            return [.powerDelivery(on: false)] + ok
        case .stop where state == .waitingForWeldingDetection && powerDeliveryStopOngoing:
            powerDeliveryStopOngoing = m.evProcessing != .finished
            return ok
        case _ where state == .waitingForWeldingDetection:
            // Only a repeat of an Ongoing Stop is in sequence here.
            return failed(.common(.powerDeliveryReq(m)), .powerDelivery, .failed_SequenceError, evse,
                          "PowerDeliveryReq after PowerDelivery(Stop) finished")
        default:
            return failed(.common(.powerDeliveryReq(m)), .powerDelivery, .failed_PowerDeliveryNotApplied, evse,
                          "ChargeProgress \(m.chargeProgress) in state \(state)")
        }
    }

    mutating func chargeLoop(_ m: DC_ChargeLoopReqType, _ evse: EVSEInputs) -> [SECCAction] {
        // NotificationMaxDelay: an EV told to stop (Terminate, Pause, ServiceRenegotiation) or to
        // renegotiate its schedule must answer with PowerDelivery (Stop or ScheduleRenegotiation)
        // within the delay; past it the charger stops alone.
        if let deadline = notificationDeadline, evse.timestamp > deadline {
            return failed(.dc(.dc_ChargeLoopReq(m)), .dcChargeLoop, .failed, evse,
                          "the EV did not stop within NotificationMaxDelay (\(evse.notificationMaxDelay) s)")
        }
        if notificationDeadline == nil, let n = evse.notification, [.terminate, .pause, .serviceRenegotiation, .scheduleRenegotiation].contains(n) {
            let (deadline, overflow) = evse.timestamp.addingReportingOverflow(UInt64(evse.notificationMaxDelay))
            notificationDeadline = overflow ? .max : deadline
        }
        let l = announcedLimits ?? evse.limits
        let r: (Double) -> RationalNumberType = { RationalNumberType($0) }
        let control: DC_ChargeLoopResType.CLResControlMode
        var target: (voltage: Double, current: Double)?
        switch m.clReqControlMode {
        case .scheduled_DC_CLReqControlMode(let q) where !isBPT:
            target = (q.evTargetVoltage.doubleValue, q.evTargetCurrent.doubleValue)
            control = .scheduled_DC_CLResControlMode(Scheduled_DC_CLResControlModeType(
                evseMaximumChargePower: r(l.maximumChargePower), evseMaximumChargeCurrent: r(l.maximumChargeCurrent), evseMaximumVoltage: r(l.maximumVoltage)))
        case .bpt_Scheduled_DC_CLReqControlMode(let q) where isBPT:
            target = (q.evTargetVoltage.doubleValue, q.evTargetCurrent.doubleValue)
            control = .bpt_Scheduled_DC_CLResControlMode(BPT_Scheduled_DC_CLResControlModeType(
                evseMaximumChargePower: r(l.maximumChargePower), evseMaximumChargeCurrent: r(l.maximumChargeCurrent),
                evseMaximumVoltage: r(l.maximumVoltage), evseMaximumDischargePower: r(l.maximumDischargePower),
                evseMaximumDischargeCurrent: r(l.maximumDischargeCurrent), evseMinimumVoltage: r(l.minimumVoltage)))
        case .dynamic_DC_CLReqControlMode(let q) where !isBPT:
            target = dynamicTarget(m, evMaxChargeCurrent: q.evMaximumChargeCurrent.doubleValue, evMaxDischargeCurrent: 0, evse, l)
            control = .dynamic_DC_CLResControlMode(Dynamic_DC_CLResControlModeType(
                evseMaximumChargePower: r(l.maximumChargePower), evseMinimumChargePower: r(l.minimumChargePower),
                evseMaximumChargeCurrent: r(l.maximumChargeCurrent), evseMaximumVoltage: r(l.maximumVoltage)))
        case .bpt_Dynamic_DC_CLReqControlMode(let q) where isBPT:
            target = dynamicTarget(m, evMaxChargeCurrent: q.evMaximumChargeCurrent.doubleValue,
                                   evMaxDischargeCurrent: q.evMaximumDischargeCurrent.doubleValue, evse, l)
            control = .bpt_Dynamic_DC_CLResControlMode(BPT_Dynamic_DC_CLResControlModeType(
                evseMaximumChargePower: r(l.maximumChargePower), evseMinimumChargePower: r(l.minimumChargePower),
                evseMaximumChargeCurrent: r(l.maximumChargeCurrent), evseMaximumVoltage: r(l.maximumVoltage),
                evseMaximumDischargePower: r(l.maximumDischargePower), evseMinimumDischargePower: r(l.minimumDischargePower),
                evseMaximumDischargeCurrent: r(l.maximumDischargeCurrent), evseMinimumVoltage: r(l.minimumVoltage)))
        default:
            // The control mode must be the one the selected service and ScheduleExchange agreed ([V2G20-1600]).
            return failed(.dc(.dc_ChargeLoopReq(m)), .dcChargeLoop, .failed_WrongChargeParameter, evse,
                          "control mode does not match the selected service")
        }
        var actions: [SECCAction] = []
        if let target {
            // The loop stays within what ChargeParameterDiscovery announced ([V2G20-2188]).
            let current = max(-l.maximumDischargeCurrent, min(target.current, l.maximumChargeCurrent))
            actions.append(.chargeTarget(voltage: min(target.voltage, l.maximumVoltage), current: current))
        }
        let power = evse.presentVoltage * evse.presentCurrent
        let meter = m.meterInfoRequested ? MeterInfoType(meterID: evse.meterID, chargedEnergyReadingWh: evse.meterReadingWh) : nil
        let status = evse.notification.map { EVSEStatusType(notificationMaxDelay: evse.notificationMaxDelay, evseNotification: $0) }
        return actions + respond(.dc(.dc_ChargeLoopRes(DC_ChargeLoopResType(
            header: header(evse), responseCode: .ok, evseStatus: status, meterInfo: meter,
            evsePresentCurrent: r(evse.presentCurrent), evsePresentVoltage: r(evse.presentVoltage),
            evsePowerLimitAchieved: power >= l.maximumChargePower * 0.99,
            evseCurrentLimitAchieved: evse.presentCurrent >= l.maximumChargeCurrent * 0.99,
            evseVoltageLimitAchieved: evse.presentVoltage >= l.maximumVoltage * 0.99,
            clResControlMode: control))))
    }

    /// Dynamic control: the EVSE sets the power. The setpoint (or the maximum) becomes a current at
    /// the EV's present voltage, within both sides' current limits.
    func dynamicTarget(_ m: DC_ChargeLoopReqType, evMaxChargeCurrent: Double, evMaxDischargeCurrent: Double,
                       _ evse: EVSEInputs, _ l: DCLimits) -> (voltage: Double, current: Double) {
        let voltage = max(m.evPresentVoltage.doubleValue, 1)
        let power = evse.dynamicPowerSetpoint ?? l.maximumChargePower
        var current = power / voltage
        current = min(current, evMaxChargeCurrent, l.maximumChargeCurrent)
        current = max(current, -min(evMaxDischargeCurrent, l.maximumDischargeCurrent))
        return (voltage, current)
    }

    mutating func weldingDetection(_ evse: EVSEInputs) -> [SECCAction] {
        respond(.dc(.dc_WeldingDetectionRes(DC_WeldingDetectionResType(
            header: header(evse), responseCode: .ok, evsePresentVoltage: RationalNumberType(evse.presentVoltage)))))
    }
}
