import ISO20Common

/// ScheduleExchange. Scheduled: one schedule tuple of one entry at the service's maximum for 24
/// hours (and its discharging mirror for a bidirectional service). Dynamic: the EV follows the
/// charge loop's limits. Both carry the price schedule the selected parameter set's Pricing
/// names ([V2G20-2176]).
extension SECCSession {
    /// On the main stream, or on the schedule-renegotiation side stream while the loop goes on
    /// (`SECCSideStreams`), where the main stream's state stays as it is.
    mutating func scheduleExchange(_ m: ScheduleExchangeReqType, _ evse: EVSEInputs, on stream: V2GStream = .main) -> [SECCAction] {
        guard let module = energyTransfer else {
            return failed(.common(.scheduleExchangeReq), .failed_NoEnergyTransferServiceSelected, evse, "no energy service selected", on: stream)
        }
        let prices = priceSchedule(evse, maximumEntries: m.maximumSupportingPoints)
        var control: ScheduleExchangeResType.SEResControlMode
        switch m.seReqControlMode {
        case .scheduled_SEReqControlMode:
            let power = module.schedulePower(evse)
            func schedule(_ watts: Double) -> ChargingScheduleType {
                ChargingScheduleType(powerSchedule: PowerScheduleType(
                    timeAnchor: evse.timestamp,
                    powerScheduleEntries: PowerScheduleEntryListType(powerScheduleEntry: [
                        PowerScheduleEntryType(duration: 86_400, power: RationalNumberType(watts))])),
                    schedule: prices?.inChargingSchedule)
            }
            control = .scheduled_SEResControlMode(Scheduled_SEResControlModeType(scheduleTuple: [
                ScheduleTupleType(scheduleTupleID: 1, chargingSchedule: schedule(power.charge),
                                  dischargingSchedule: power.discharge.map { schedule(-$0) })]))
        case .dynamic_SEReqControlMode(let d):
            control = .dynamic_SEResControlMode(Dynamic_SEResControlModeType(
                departureTime: d.departureTime, schedule: prices?.inDynamicControlMode))
        }
        // A renegotiated schedule goes straight back to PowerDelivery(Start): power stays on.
        if stream == .main {
            state = state == .renegotiatingSchedule ? .waitingForPowerDeliveryAfterRenegotiation : .energyTransfer(module.phaseAfterScheduleExchange)
        }
        let response = ScheduleExchangeResType(header: header(evse), responseCode: .ok, evseProcessing: .finished, seResControlMode: control)
        if configuration.signsPriceSchedules {
            // Signed price schedules: each gets an Id, the runtime signs, then the response goes.
            let schedules = Self.identifyPriceSchedules(&control)
            if !schedules.isEmpty {
                var held = response
                held.seResControlMode = control
                pendingScheduleExchange = (held, stream)
                return (stream == .main ? [.startTimer(.sequence, V2GTiming.seccSequenceTimeout)] : []) + [.signPriceSchedules(schedules)]
            }
        }
        return respond(.common(.scheduleExchangeRes(response)), on: stream)
    }
}
