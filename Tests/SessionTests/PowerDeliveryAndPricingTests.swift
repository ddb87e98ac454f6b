import ISO20Common
import ISO20DC
import Testing
import V2GSession

/// Rules met while interoperating with Josev, each without sockets: the price schedule in
/// ScheduleExchangeRes, repeated PowerDelivery while the EV is still processing, the EV's power
/// profile, the order in which control modes are offered.
@Suite struct PowerDeliveryAndPricingTests {
    typealias T = SECCSessionTests
    typealias D = SECCDCSessionTests

    /// A session up to pre-charge with the given services, selecting `parameterSet` of `service`.
    static func preCharged(_ services: [EnergyService] = [.dc, .dcBPT], service: UInt16 = 2, parameterSet: UInt16 = 1,
                           scheduled: Bool = true) throws -> (SECCSession, ScheduleExchangeResType) {
        var s = SECCSession(configuration: SECCConfiguration(evseID: "DE*SWI*E1234567", energyServices: services), makeSessionID: { T.id })
        D.select(&s, service: service, parameterSet: parameterSet)
        _ = s.receive(.dc(.dc_ChargeParameterDiscoveryReq(DC_ChargeParameterDiscoveryReqType(
            header: D.h(), dc_CPDReqEnergyTransferMode: .dc_CPDReqEnergyTransferMode(D.cpd)))), evse: T.evse)
        let mode: ScheduleExchangeReqType.SEReqControlMode = scheduled
            ? .scheduled_SEReqControlMode(Scheduled_SEReqControlModeType())
            : .dynamic_SEReqControlMode(Dynamic_SEReqControlModeType(departureTime: 7200, evTargetEnergyRequest: D.r(1), evMaximumEnergyRequest: D.r(1), evMinimumEnergyRequest: D.r(0)))
        let a = s.receive(.common(.scheduleExchangeReq(ScheduleExchangeReqType(header: D.h(), maximumSupportingPoints: 24, seReqControlMode: mode))), evse: T.evse)
        guard case .common(.scheduleExchangeRes(let res))? = try D.response(a) else { throw TestFailure("no ScheduleExchangeRes") }
        _ = s.receive(.dc(.dc_CableCheckReq(DC_CableCheckReqType(header: D.h()))), evse: T.evse)
        _ = s.receive(.dc(.dc_PreChargeReq(DC_PreChargeReqType(header: D.h(), evProcessing: .ongoing, evPresentVoltage: D.r(400), evTargetVoltage: D.r(400)))), evse: T.evse)
        #expect(s.state == .energyTransfer(.dcPreCharge))
        return (s, res)
    }

    struct TestFailure: Error, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
    }

    /// [V2G20-2176]: the SECC provides a price schedule; with Pricing = 2 it is the configured
    /// PriceLevelSchedule, in Scheduled (inside the charging schedule) and Dynamic control alike.
    @Test func scheduleExchangeCarriesThePriceLevelSchedule() throws {
        let (_, scheduled) = try Self.preCharged()
        guard case .scheduled_SEResControlMode(let s) = scheduled.seResControlMode,
              case .priceLevelSchedule(let prices)? = s.scheduleTuple.first?.chargingSchedule.schedule else {
            Issue.record("no PriceLevelSchedule in the Scheduled response"); return
        }
        #expect(prices.numberOfPriceLevels == 1)
        #expect(prices.priceLevelScheduleEntries.priceLevelScheduleEntry == [PriceLevelScheduleEntryType(duration: 86_400, priceLevel: 0)])
        #expect(prices.timeAnchor == T.evse.timestamp)

        let (_, dynamic) = try Self.preCharged(parameterSet: 2, scheduled: false)
        guard case .dynamic_SEResControlMode(let d) = dynamic.seResControlMode, case .priceLevelSchedule? = d.schedule else {
            Issue.record("no PriceLevelSchedule in the Dynamic response"); return
        }
        let (_, none) = try Self.preCharged([.dc(pricing: .none)])
        guard case .scheduled_SEResControlMode(let n) = none.seResControlMode else { Issue.record("not scheduled"); return }
        #expect(n.scheduleTuple.first?.chargingSchedule.schedule == nil, "Pricing = 0: no price schedule")
    }

    /// Pricing = 1: the configured AbsolutePriceSchedule, anchored at the response's time, its
    /// price rule stacks cut to MaximumSupportingPoints; schema-valid on the wire.
    @Test func scheduleExchangeCarriesTheAbsolutePriceSchedule() throws {
        var tariff = AbsolutePriceScheduleType.flatEnergyPrice(perKWh: 0.39)
        tariff.priceRuleStacks.priceRuleStack = Array(repeating: tariff.priceRuleStacks.priceRuleStack[0], count: 30)
        var s = SECCSession(configuration: SECCConfiguration(evseID: "DE*SWI*E1234567", energyServices: [.dc(pricing: .absolute)],
                                                             absoluteTariff: tariff), makeSessionID: { T.id })
        D.select(&s, service: 2, parameterSet: 1)
        _ = s.receive(.dc(.dc_ChargeParameterDiscoveryReq(DC_ChargeParameterDiscoveryReqType(
            header: D.h(), dc_CPDReqEnergyTransferMode: .dc_CPDReqEnergyTransferMode(D.cpd)))), evse: T.evse)
        let a = s.receive(.common(.scheduleExchangeReq(ScheduleExchangeReqType(
            header: D.h(), maximumSupportingPoints: 12, seReqControlMode: .scheduled_SEReqControlMode(Scheduled_SEReqControlModeType())))), evse: T.evse)
        let response = try #require(try D.response(a))
        guard case .common(.scheduleExchangeRes(let res)) = response, case .scheduled_SEResControlMode(let sched) = res.seResControlMode,
              case .absolutePriceSchedule(let prices)? = sched.scheduleTuple.first?.chargingSchedule.schedule else {
            Issue.record("no AbsolutePriceSchedule"); return
        }
        #expect(prices.timeAnchor == T.evse.timestamp)
        #expect(prices.currency == "EUR" && prices.priceAlgorithm == AbsolutePriceScheduleType.powerAlgorithm)
        #expect(prices.priceRuleStacks.priceRuleStack.count == 12)
        #expect(prices.priceRuleStacks.priceRuleStack[0].priceRule[0].energyFee.doubleValue == 0.39)
        #expect(try wire(response) == response)
        #expect(EnergyService.dc(pricing: .absolute).pricing(parameterSetID: 1) == .absolute)
    }

    /// The tariff is cut to the EV's MaximumSupportingPoints.
    @Test func priceLevelsRespectMaximumSupportingPoints() throws {
        let tariff = PriceLevelTariff(numberOfPriceLevels: 3, periods: (0..<40).map { .init(duration: 900, level: UInt8($0 % 3)) })
        var s = SECCSession(configuration: SECCConfiguration(evseID: "DE*SWI*E1234567", priceLevelTariff: tariff), makeSessionID: { T.id })
        D.select(&s, service: 2, parameterSet: 1)
        _ = s.receive(.dc(.dc_ChargeParameterDiscoveryReq(DC_ChargeParameterDiscoveryReqType(
            header: D.h(), dc_CPDReqEnergyTransferMode: .dc_CPDReqEnergyTransferMode(D.cpd)))), evse: T.evse)
        let a = s.receive(.common(.scheduleExchangeReq(ScheduleExchangeReqType(
            header: D.h(), maximumSupportingPoints: 12, seReqControlMode: .scheduled_SEReqControlMode(Scheduled_SEReqControlModeType())))), evse: T.evse)
        guard case .common(.scheduleExchangeRes(let res))? = try D.response(a), case .scheduled_SEResControlMode(let sched) = res.seResControlMode,
              case .priceLevelSchedule(let prices)? = sched.scheduleTuple.first?.chargingSchedule.schedule else {
            Issue.record("no price levels"); return
        }
        #expect(prices.priceLevelScheduleEntries.priceLevelScheduleEntry.count == 12)
        #expect(prices.numberOfPriceLevels == 3)
    }

    /// PowerDelivery(Start) with EVProcessing = Ongoing: answered OK, power stays off, the EV may
    /// repeat it; the Finished one switches power on. A PowerDelivery after a finished Stop is out
    /// of sequence.
    @Test func powerDeliveryWhileTheEVIsStillProcessing() throws {
        var (s, _) = try Self.preCharged()
        let ongoing = V2GRequest.common(.powerDeliveryReq(PowerDeliveryReqType(header: D.h(), evProcessing: .ongoing, chargeProgress: .start)))
        for _ in 0..<3 {
            let a = s.receive(ongoing, evse: T.evse)
            #expect(T.responseCode(try D.response(a)) == .ok)
            #expect(!a.contains(.evse(.powerDelivery(on: true))))
            #expect(s.state == .energyTransfer(.dcPreCharge))
        }
        var a = s.receive(.common(.powerDeliveryReq(PowerDeliveryReqType(header: D.h(), evProcessing: .finished, chargeProgress: .start))), evse: T.evse)
        #expect(a.contains(.evse(.powerDelivery(on: true))))
        #expect(s.state == .energyTransfer(.dcChargeLoop))

        a = s.receive(.common(.powerDeliveryReq(PowerDeliveryReqType(header: D.h(), evProcessing: .ongoing, chargeProgress: .stop))), evse: T.evse)
        #expect(a.contains(.evse(.powerDelivery(on: false))))
        #expect(s.state == .energyTransfer(.dcWeldingDetection))
        a = s.receive(.common(.powerDeliveryReq(PowerDeliveryReqType(header: D.h(), evProcessing: .finished, chargeProgress: .stop))), evse: T.evse)
        #expect(T.responseCode(try D.response(a)) == .ok, "the Ongoing Stop may be repeated")
        a = s.receive(.common(.powerDeliveryReq(PowerDeliveryReqType(header: D.h(), evProcessing: .finished, chargeProgress: .stop))), evse: T.evse)
        #expect(T.ended(a) == .failed(.failed_SequenceError))
    }

    /// A Start in the charge loop is refused, as before.
    @Test func startWhileChargingIsNotApplied() throws {
        var (s, _) = try Self.preCharged()
        let start = V2GRequest.common(.powerDeliveryReq(PowerDeliveryReqType(header: D.h(), evProcessing: .finished, chargeProgress: .start)))
        _ = s.receive(start, evse: T.evse)
        let a = s.receive(start, evse: T.evse)
        #expect(T.ended(a) == .failed(.failed_PowerDeliveryNotApplied))
    }

    /// Control modes are offered in the configured order; parameter set IDs stay 1 and 2.
    @Test func controlModesAreOfferedInOrder() {
        let service = EnergyService.dc(controlModes: [.dynamic, .scheduled])
        #expect(service.parameterSets.map(\.parameterSetID) == [2, 1])
        #expect(service.parameterSets.first?.parameter.contains(ParameterType(name: "ControlMode", choice: .intValue(2))) == true)
        #expect(service.pricing(parameterSetID: 2) == .priceLevels)
        #expect(EnergyService.dc(controlModes: [.dynamic]).parameterSets.count == 1)
        #expect(EnergyService.dcBPT(pricing: .none).pricing(parameterSetID: 1) == .none)
    }

    /// The EV's PowerDelivery(Start) carries its power profile: Scheduled names the schedule tuple
    /// it follows and states PowerToleranceAcceptance; DC_BPT names the channel.
    @Test(arguments: [(ControlMode.scheduled, UInt16(2)), (.dynamic, 2), (.scheduled, 6), (.dynamic, 6)])
    func evPowerProfileInPowerDeliveryStart(mode: ControlMode, service: UInt16) throws {
        let discharge = service == 6
        var pair = SessionPair(evcc: EVCCConfiguration(evccID: "WMIV1234567890ABCDEX", preferredService: service, controlMode: mode))
        pair.driver = { _, ev in
            ev.dc.targetVoltage = 405
            ev.dc.targetCurrent = discharge ? -100 : 200
        }
        let out = try pair.run()
        for case .common(.powerDeliveryReq(let m)) in out.sent where m.chargeProgress == .start {
            let profile = try #require(m.evPowerProfile)
            #expect((pair.startTimestamp...pair.timestamp).contains(profile.timeAnchor))
            switch (profile.evpptControlMode, mode) {
            case (.scheduled_EVPPTControlMode(let s), .scheduled):
                #expect(s.selectedScheduleTupleID == 1)
                #expect(s.powerToleranceAcceptance == .powerToleranceNotConfirmed)
            case (.dynamic_EVPPTControlMode, .dynamic): break
            default: Issue.record("profile of the wrong control mode")
            }
            let planned = try #require(profile.evPowerProfileEntries.evPowerProfileEntry.first?.power.doubleValue)
            #expect(abs(planned - 405 * (discharge ? -100 : 200)) < 1, "planned power: target voltage × current")
            #expect(m.bpt_ChannelSelection == (service == 6 ? (discharge ? .discharge : .charge) : nil))
            return
        }
        Issue.record("the EVCC never sent PowerDelivery(Start)")
    }
}
