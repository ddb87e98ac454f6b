import ISO20Common

/// ScheduleExchange, repeated while the SECC answers Ongoing: Scheduled asks for schedules and
/// follows the first tuple; Dynamic states the energy wanted. After a renegotiation (power on)
/// it leads back to PowerDelivery(Start); otherwise to the energy service's next phase.
extension EVCCSession {
    mutating func scheduleExchange(_ ev: EVInputs) -> [EVCCAction] {
        send(scheduleExchangeRequest(ev), ev)
    }

    /// ScheduleExchangeReq as it goes out, on whichever stream.
    func scheduleExchangeRequest(_ ev: EVInputs) -> V2GRequest {
        let policy = configuration.policy
        let mode: ScheduleExchangeReqType.SEReqControlMode
        switch configuration.controlMode {
        case .scheduled:
            mode = .scheduled_SEReqControlMode(Scheduled_SEReqControlModeType(departureTime: configuration.departureTime))
        case .dynamic:
            let energy = EnergyRequests(ev, policy: policy, bidirectional: energyTransfer?.isBidirectional ?? false)
            mode = .dynamic_SEReqControlMode(Dynamic_SEReqControlModeType(
                departureTime: configuration.departureTime, evTargetEnergyRequest: RationalNumberType(energy.target),
                evMaximumEnergyRequest: RationalNumberType(energy.maximum), evMinimumEnergyRequest: RationalNumberType(energy.minimum),
                evMaximumV2XEnergyRequest: energy.maximumV2X.map { RationalNumberType($0) },
                evMinimumV2XEnergyRequest: energy.minimumV2X.map { RationalNumberType($0) }))
        }
        return .common(.scheduleExchangeReq(ScheduleExchangeReqType(
            header: header(ev), maximumSupportingPoints: policy.maximumSupportingPoints, seReqControlMode: mode)))
    }

    mutating func scheduleExchangeAnswered(_ m: ScheduleExchangeResType, _ ev: EVInputs) -> [EVCCAction] {
        if m.evseProcessing != .finished { return scheduleExchange(ev) }
        return Self.priceScheduleChecks(m) + scheduleAgreed(m, ev)
    }

    /// Signed price schedules (a Signature, or an Id on any schedule): every schedule goes to the
    /// check, so that an unsigned one beside a signed one is not taken as signed.
    static func priceScheduleChecks(_ m: ScheduleExchangeResType) -> [EVCCAction] {
        let schedules = priceSchedules(m.seResControlMode)
        let signed = m.header.signature != nil || schedules.contains { SignedScheduleID.of($0) != nil }
        return signed && !schedules.isEmpty ? [.verifyPriceSchedules(schedules, m.header.signature)] : []
    }

    /// Every price schedule of a ScheduleExchangeRes, in document order.
    static func priceSchedules(_ control: ScheduleExchangeResType.SEResControlMode) -> [CommonMessagesFragment] {
        func fragment(_ schedule: ChargingScheduleType.Schedule?) -> CommonMessagesFragment? {
            switch schedule {
            case .absolutePriceSchedule(let a)?: .absolutePriceSchedule(a)
            case .priceLevelSchedule(let l)?: .priceLevelSchedule(l)
            case nil: nil
            }
        }
        switch control {
        case .scheduled_SEResControlMode(let scheduled):
            return scheduled.scheduleTuple.flatMap { [fragment($0.chargingSchedule.schedule), fragment($0.dischargingSchedule?.schedule)].compactMap { $0 } }
        case .dynamic_SEResControlMode(let dynamic):
            switch dynamic.schedule {
            case .absolutePriceSchedule(let a)?: return [.absolutePriceSchedule(a)]
            case .priceLevelSchedule(let l)?: return [.priceLevelSchedule(l)]
            case nil: return []
            }
        }
    }

    private mutating func scheduleAgreed(_ m: ScheduleExchangeResType, _ ev: EVInputs) -> [EVCCAction] {
        adoptSchedule(m)
        if renegotiatingSchedule {
            // Power is on: back to the charge loop with the new schedule.
            renegotiatingSchedule = false
            return perform(.powerDeliveryStart, ev)
        }
        guard let module = energyTransfer else { return end(.failed(.failed_NoEnergyTransferServiceSelected), "no service selected") }
        return perform(module.afterScheduleExchange(ev, header(ev)), ev)
    }

    /// The schedule the EV follows from now on: the first tuple (Scheduled), and whether it may discharge.
    mutating func adoptSchedule(_ m: ScheduleExchangeResType) {
        switch m.seResControlMode {
        case .scheduled_SEResControlMode(let scheduled):
            let tuple = scheduled.scheduleTuple.first
            scheduleTupleID = tuple?.scheduleTupleID
            scheduleHasPowerTolerance = tuple?.chargingSchedule.powerSchedule.powerTolerance != nil
            // A tuple without a DischargingSchedule grants no discharge.
            energyTransfer?.dischargeAllowed = tuple?.dischargingSchedule != nil
        case .dynamic_SEResControlMode:
            // In Dynamic control the charger sets the power, discharge included, loop by loop.
            energyTransfer?.dischargeAllowed = true
        }
    }
}

/// The Id of a price schedule fragment, if it has one.
enum SignedScheduleID {
    static func of(_ fragment: CommonMessagesFragment) -> String? {
        switch fragment {
        case .absolutePriceSchedule(let a): a.id
        case .priceLevelSchedule(let l): l.id
        default: nil
        }
    }
}
