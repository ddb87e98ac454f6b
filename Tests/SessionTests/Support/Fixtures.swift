import AppProtocol
import EXI
import ISO20Common
import ISO20DC
import Testing
import V2GSession
import V2GSimulation
import V2GTP

/// What the session suites share: a session's fixed identity and inputs, hand-built requests,
/// a session driven to a given phase, and whole pairs on the simulated plant.
enum Fixtures {
    static let id: ShortBinary = [0x43, 0x5F, 0xC6, 0x9B, 0x67, 0xAC, 0xF6, 0x07]

    static let evse = EVSEInputs(authorized: true, timestamp: 1_795_542_185)

    static func session() -> SECCSession {
        SECCSession(configuration: SECCConfiguration(evseID: "DE*SWI*E1234567"), makeSessionID: { id })
    }

    static func header(_ sid: ShortBinary = id) -> MessageHeaderType { MessageHeaderType(sessionID: sid, timeStamp: 1_795_542_184) }

    /// Every response the machine sends must be a schema-valid EXI document.
    static func sent(_ actions: [SECCAction]) throws -> [V2GResponse] {
        let responses = actions.compactMap { a -> V2GResponse? in if case .send(let r) = a { return r }; return nil }
        for r in responses { _ = try r.document.encode() }
        return responses
    }

    static func ended(_ actions: [SECCAction]) -> SessionEnd.Reason? {
        for a in actions { if case .endSession(let e) = a { return e.reason } }
        return nil
    }

    static func responseCode(_ r: V2GResponse?) -> ISO20Common.ResponseCodeType? { r?.responseCode }

    static let sap = AppProtocolNegotiation.request(offering: [.iso20DC])
    static let sapAC = AppProtocolNegotiation.request(offering: [.iso20AC])

    /// Drives a session through SessionSetup and EIM authorization to ServiceDiscovery, and
    /// returns the actions answering ServiceDiscoveryReq.
    @discardableResult
    static func toServiceDiscovery(_ s: inout SECCSession, protocol sap: SupportedAppProtocolReq = sap, supportedServiceIDs: [UInt16]? = nil) -> [SECCAction] {
        _ = s.receive(.supportedAppProtocol(sap), evse: evse)
        _ = s.receive(.common(.sessionSetupReq(SessionSetupReqType(header: header(SessionIDGenerator.zero), evccid: "WMIV1234567890ABCDEX"))), evse: evse)
        _ = s.receive(.common(.authorizationSetupReq(AuthorizationSetupReqType(header: header()))), evse: evse)
        _ = s.receive(.common(.authorizationReq(AuthorizationReqType(header: header(), selectedAuthorizationService: .eim,
                                                                      aReqAuthorizationMode: .eim_AReqAuthorizationMode(EIM_AReqAuthorizationModeType())))), evse: evse)
        return s.receive(.common(.serviceDiscoveryReq(ServiceDiscoveryReqType(
            header: header(), supportedServiceIDs: supportedServiceIDs.map { ServiceIDListType(serviceID: $0) }))), evse: evse)
    }

    /// Drives a session to the state after ServiceSelection (DC, Dynamic).
    static func toChargeParameterDiscovery(_ s: inout SECCSession) throws {
        select(&s, service: 2, parameterSet: 2)
    }

    static func r(_ x: Double) -> RationalNumberType { RationalNumberType(x) }

    static func h() -> MessageHeaderType { Fixtures.header() }

    /// Drives a session to the state after ServiceSelection of `service` and `parameterSet`.
    /// AC services (1, 5) are offered in a session that agreed on -20:AC.
    static func select(_ s: inout SECCSession, service: UInt16, parameterSet: UInt16) {
        toServiceDiscovery(&s, protocol: [EnergyService.acServiceID, EnergyService.acBPTServiceID].contains(service) ? sapAC : sap)
        _ = s.receive(.common(.serviceSelectionReq(ServiceSelectionReqType(
            header: h(), selectedEnergyTransferService: SelectedServiceType(serviceID: service, parameterSetID: parameterSet)))), evse: Fixtures.evse)
    }

    static func response(_ actions: [SECCAction]) throws -> V2GResponse? { try Fixtures.sent(actions).first }

    static let cpd = DC_CPDReqEnergyTransferModeType(evMaximumChargePower: r(150_000), evMinimumChargePower: r(1_000),
                                                     evMaximumChargeCurrent: r(350), evMinimumChargeCurrent: r(1),
                                                     evMaximumVoltage: r(900), evMinimumVoltage: r(150))

    static func cpdRequest(_ header: MessageHeaderType) -> DC_ChargeParameterDiscoveryReqType {
        DC_ChargeParameterDiscoveryReqType(header: header, dc_CPDReqEnergyTransferMode: .dc_CPDReqEnergyTransferMode(cpd))
    }

    /// A session up to pre-charge with the given services, selecting `parameterSet` of `service`.
    static func preCharged(_ services: [EnergyService] = [.dc, .dcBPT], service: UInt16 = 2, parameterSet: UInt16 = 1,
                           scheduled: Bool = true) throws -> (SECCSession, ScheduleExchangeResType) {
        var s = SECCSession(configuration: SECCConfiguration(evseID: "DE*SWI*E1234567", energyServices: services), makeSessionID: { Fixtures.id })
        Fixtures.select(&s, service: service, parameterSet: parameterSet)
        _ = s.receive(.dc(.dc_ChargeParameterDiscoveryReq(DC_ChargeParameterDiscoveryReqType(
            header: Fixtures.h(), dc_CPDReqEnergyTransferMode: .dc_CPDReqEnergyTransferMode(Fixtures.cpd)))), evse: Fixtures.evse)
        let mode: ScheduleExchangeReqType.SEReqControlMode = scheduled
            ? .scheduled_SEReqControlMode(Scheduled_SEReqControlModeType())
            : .dynamic_SEReqControlMode(Dynamic_SEReqControlModeType(departureTime: 7200, evTargetEnergyRequest: Fixtures.r(1), evMaximumEnergyRequest: Fixtures.r(1), evMinimumEnergyRequest: Fixtures.r(0)))
        let a = s.receive(.common(.scheduleExchangeReq(ScheduleExchangeReqType(header: Fixtures.h(), maximumSupportingPoints: 24, seReqControlMode: mode))), evse: Fixtures.evse)
        guard case .common(.scheduleExchangeRes(let res))? = try Fixtures.response(a) else { throw TestFailure("no ScheduleExchangeRes") }
        _ = s.receive(.dc(.dc_CableCheckReq(DC_CableCheckReqType(header: Fixtures.h()))), evse: Fixtures.evse)
        _ = s.receive(.dc(.dc_PreChargeReq(DC_PreChargeReqType(header: Fixtures.h(), evProcessing: .ongoing, evPresentVoltage: Fixtures.r(400), evTargetVoltage: Fixtures.r(400)))), evse: Fixtures.evse)
        #expect(s.state == .energyTransfer(.dcPreCharge))
        return (s, res)
    }

    struct TestFailure: Error, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
    }

    static let evccID = "WMIV1234567890ABCDEX"

    static func seccConfiguration() -> SECCConfiguration { SECCConfiguration(evseID: "DE*SWI*E1234567") }

    /// Drives a pair to the end on the simulated plant. `notifyAt`: in this charge loop, the
    /// charger reports `notification`; `pauseAfter`: from this loop on, the driver asks to pause;
    /// the EV is done after `completeAfter` loops.
    static func runPair(_ secc: inout SECCSession, _ evcc: inout EVCCSession, notification: EvseNotificationType? = nil,
                    notifyAt: Int = .max, pauseAfter: Int = .max, completeAfter: Int = 6) throws -> SessionPair.Outcome {
        var pair = SessionPair(secc: secc, evcc: evcc.configuration)
        pair.evcc = evcc
        pair.charger = { request, loops, inputs in
            if request.kind?.isChargeLoop == true, loops == notifyAt, let notification {
                inputs.notification = notification
                inputs.notificationMaxDelay = 60
            }
        }
        pair.driver = { loops, inputs in
            if loops >= pauseAfter { inputs.pauseRequested = true }
            if loops >= completeAfter { inputs.chargingComplete = true }
        }
        let out = try pair.run()
        secc = pair.secc
        evcc = pair.evcc
        return out
    }
}
