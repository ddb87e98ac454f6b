import AppProtocol
import EXI
import ISO20Common
import ISO20DC
import Testing
import TestSupport
import V2GSession
import V2GSimulation
import V2GTP

/// ScheduleExchange and its price schedules ([V2G20-2176]).
@Suite(.offPool) struct ScheduleExchangeTests {
    typealias T = Fixtures

    /// [V2G20-2176]: the SECC provides a price schedule; with Pricing = 2 it is the configured
    /// PriceLevelSchedule, in Scheduled (inside the charging schedule) and Dynamic control alike.
    @Test func scheduleExchangeCarriesThePriceLevelSchedule() throws {
        let (_, scheduled) = try T.preCharged()
        guard case .scheduled_SEResControlMode(let s) = scheduled.seResControlMode,
              case .priceLevelSchedule(let prices)? = s.scheduleTuple.first?.chargingSchedule.schedule else {
            Issue.record("no PriceLevelSchedule in the Scheduled response"); return
        }
        #expect(prices.numberOfPriceLevels == 1)
        #expect(prices.priceLevelScheduleEntries.priceLevelScheduleEntry == [PriceLevelScheduleEntryType(duration: 86_400, priceLevel: 0)])
        #expect(prices.timeAnchor == T.evse.timestamp)

        let (_, dynamic) = try T.preCharged(parameterSet: 2, scheduled: false)
        guard case .dynamic_SEResControlMode(let d) = dynamic.seResControlMode, case .priceLevelSchedule? = d.schedule else {
            Issue.record("no PriceLevelSchedule in the Dynamic response"); return
        }
        let (_, none) = try T.preCharged([.dc(pricing: .none)])
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
        T.select(&s, service: 2, parameterSet: 1)
        _ = s.receive(.dc(.dc_ChargeParameterDiscoveryReq(DC_ChargeParameterDiscoveryReqType(
            header: T.h(), dc_CPDReqEnergyTransferMode: .dc_CPDReqEnergyTransferMode(T.cpd)))), evse: T.evse)
        let a = s.receive(.common(.scheduleExchangeReq(ScheduleExchangeReqType(
            header: T.h(), maximumSupportingPoints: 12, seReqControlMode: .scheduled_SEReqControlMode(Scheduled_SEReqControlModeType())))), evse: T.evse)
        let response = try #require(try T.response(a))
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
        T.select(&s, service: 2, parameterSet: 1)
        _ = s.receive(.dc(.dc_ChargeParameterDiscoveryReq(DC_ChargeParameterDiscoveryReqType(
            header: T.h(), dc_CPDReqEnergyTransferMode: .dc_CPDReqEnergyTransferMode(T.cpd)))), evse: T.evse)
        let a = s.receive(.common(.scheduleExchangeReq(ScheduleExchangeReqType(
            header: T.h(), maximumSupportingPoints: 12, seReqControlMode: .scheduled_SEReqControlMode(Scheduled_SEReqControlModeType())))), evse: T.evse)
        guard case .common(.scheduleExchangeRes(let res))? = try T.response(a), case .scheduled_SEResControlMode(let sched) = res.seResControlMode,
              case .priceLevelSchedule(let prices)? = sched.scheduleTuple.first?.chargingSchedule.schedule else {
            Issue.record("no price levels"); return
        }
        #expect(prices.priceLevelScheduleEntries.priceLevelScheduleEntry.count == 12)
        #expect(prices.numberOfPriceLevels == 3)
    }
}
