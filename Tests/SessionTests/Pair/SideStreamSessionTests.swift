import ISO20AC
import ISO20ACDP
import ISO20Common
import ISO20DC
import Testing
import TestSupport
import V2GSession
import V2GSimulation
import V2GTP

/// The side streams in whole sessions (`SECCSideStreams`, `EVCCSideStreams`): schedule
/// renegotiation on 0x8101 and parking status on 0x8104 while the charge loop goes on on the main
/// stream, and the bad input each stream must refuse with FAILED_SequenceError on that stream.
@Suite(.offPool) struct SideStreamSessionTests {
    typealias T = Fixtures

    static func evcc(_ service: UInt16, vas: [UInt16] = []) -> EVCCConfiguration {
        var c = EVCCConfiguration(evccID: "WMIV1234567890ABCDEX", preferredService: service, controlMode: .scheduled)
        c.policy.sideStreams = true
        c.valueAddedServices = vas
        return c
    }

    static func pair(_ service: UInt16, secc: SECCConfiguration = SECCConfiguration(evseID: "DE*SWI*E1234567"), vas: [UInt16] = []) -> SessionPair {
        var battery = SimulatedPlant.Battery()
        if service == EnergyService.acServiceID { battery.soc = 60; battery.targetSOC = 64 }
        return SessionPair(secc: SECCSession(configuration: secc), evcc: Self.evcc(service, vas: vas), battery: battery)
    }

    /// The charger asks for a new schedule; the EV renegotiates it on 0x8101 (PowerDelivery
    /// (ScheduleRenegotiation), ChargeParameterDiscovery, ScheduleExchange, PowerDelivery(Start))
    /// while the main stream's loop goes on without a pause.
    @Test(arguments: [EnergyService.dcServiceID, EnergyService.acServiceID])
    func scheduleRenegotiationBesideTheLoop(service: UInt16) throws {
        var pair = Self.pair(service)
        pair.charger = { request, loops, evse in
            if request.kind?.isChargeLoop == true, loops == 10 { evse.notification = .scheduleRenegotiation; evse.notificationMaxDelay = 5 }
        }
        let o = try pair.run()
        #expect(o.secc?.reason == .terminated, "\(String(describing: o.secc))")
        #expect(o.evcc?.reason == .terminated)
        let cpd: MessageKind = service == EnergyService.acServiceID ? .ac(.ac_ChargeParameterDiscoveryReq) : .dc(.dc_ChargeParameterDiscoveryReq)
        #expect(o.sideRequests.map { $0.1.kind } == [.common(.powerDeliveryReq), cpd, .common(.scheduleExchangeReq), .common(.powerDeliveryReq)])
        #expect(o.sideRequests.allSatisfy { $0.0 == .scheduleRenegotiation })
        #expect(o.sideResponses.allSatisfy { $0.0 == .scheduleRenegotiation && $0.1.responseCode == .ok })
        // The main stream never left the loop: PowerDelivery only to start and to stop.
        let main = o.sent.compactMap { r -> ChargeProgressType? in if case .common(.powerDeliveryReq(let m)) = r { return m.chargeProgress }; return nil }
        #expect(main == [.start, .stop])
        #expect(o.phases(service == EnergyService.acServiceID ? .acChargeLoop : .dcChargeLoop) == 1, "one unbroken charge loop")
        #expect(pair.plant.soc >= pair.plant.battery.targetSOC)
    }

    /// The EV that selected parking status (check-in) reports on 0x8104 during the loop; the car
    /// park's guidance comes back to it, and the charger's controller hears what it reported.
    @Test func parkingStatusOnItsSideStream() throws {
        var secc = SECCConfiguration(evseID: "DE*SWI*E1234567")
        secc.valueAddedServices = [.parkingStatus()]
        var pair = Self.pair(EnergyService.dcServiceID, secc: secc, vas: [ValueAddedService.parkingStatusServiceID])
        pair.charger = { _, _, evse in evse.parking = ParkingGuidance(parkingSpace: 17, deviceLocation: 3, targetDistance: 120) }
        let o = try pair.run()
        #expect(o.secc?.reason == .terminated)
        #expect(o.sideRequests.map(\.0) == [.parkingStatus, .parkingStatus])
        let statuses = o.sideRequests.compactMap { r -> EvCheckInStatusType? in if case .common(.vehicleCheckInReq(let m)) = r.1 { return m.evCheckInStatus }; return nil }
        #expect(statuses == [.checkIn, .completed])
        #expect(pair.parkingReports == [.checkIn(.checkIn, .autoParking, vehicleFrame: nil, deviceOffset: nil, vehicleTravel: nil),
                                        .checkIn(.completed, .autoParking, vehicleFrame: nil, deviceOffset: nil, vehicleTravel: nil)])
        #expect(pair.ev.parkingGuidance.first == ParkingGuidance(parkingSpace: 17, deviceLocation: 3, targetDistance: 120))
    }

    /// Check-out: the EV that selected the check-out set says when it leaves; the charger's
    /// status comes back.
    @Test func parkingCheckOut() throws {
        var secc = SECCConfiguration(evseID: "DE*SWI*E1234567")
        secc.valueAddedServices = [.parkingStatus([.vehicleCheckOut])]
        var pair = Self.pair(EnergyService.dcServiceID, secc: secc, vas: [ValueAddedService.parkingStatusServiceID])
        let o = try pair.run()
        #expect(o.secc?.reason == .terminated)
        guard case .common(.vehicleCheckOutReq(let m))? = o.sideRequests.first?.1 else { Issue.record("no VehicleCheckOutReq"); return }
        #expect(m.evCheckOutStatus == .checkOut && m.checkOutTime > pair.startTimestamp)
        #expect(pair.ev.parkingGuidance == [ParkingGuidance(checkOutStatus: .scheduled)])
    }

    // MARK: bad input, SECC side

    /// A session in its DC charge loop (power on).
    static func charging() throws -> SECCSession {
        var (s, _) = try T.preCharged()
        _ = s.receive(.common(.powerDeliveryReq(PowerDeliveryReqType(header: T.header(), evProcessing: .finished, chargeProgress: .start))), evse: T.evse)
        #expect(s.state == .energyTransfer(.dcChargeLoop))
        return s
    }

    static func side(_ s: inout SECCSession, _ request: V2GRequest, on stream: SideStream) throws -> [SECCAction] {
        s.receive(frame: try request.frame(on: .side(stream)), evse: T.evse)
    }

    static func sideResponse(_ actions: [SECCAction]) -> (SideStream, V2GResponse)? {
        for case .sendOnSideStream(let r, let s) in actions { return (s, r) }
        return nil
    }

    static let stop = V2GRequest.common(.sessionStopReq(SessionStopReqType(header: T.header(), chargingSession: .terminate)))
    static let renegotiate = V2GRequest.common(.powerDeliveryReq(PowerDeliveryReqType(header: T.header(), evProcessing: .finished, chargeProgress: .scheduleRenegotiation)))
    static let scheduleExchange = V2GRequest.common(.scheduleExchangeReq(ScheduleExchangeReqType(
        header: T.header(), maximumSupportingPoints: 24, seReqControlMode: .scheduled_SEReqControlMode(Scheduled_SEReqControlModeType()))))

    /// A message the stream does not carry (SessionStop on the metering stream), and one out of
    /// its order (ScheduleExchange before PowerDelivery(ScheduleRenegotiation)), VehicleCheckIn
    /// without the parking service, ACDP system status without ACDP: FAILED_SequenceError on the
    /// stream it came on, and the session ends with the contactor open.
    @Test func sideStreamRequestsOutOfPlaceAreSequenceErrors() throws {
        let checkIn = V2GRequest.common(.vehicleCheckInReq(VehicleCheckInReqType(header: T.header(), evCheckInStatus: .checkIn, parkingMethod: .manual)))
        let acdp = V2GRequest.acdp(.acdp_SystemStatusReq(ACDP_SystemStatusReqType(header: T.header(), evTechnicalStatus: EVTechnicalStatusType(evReadyToCharge: true, evImmobilizationRequest: false))))
        for (request, stream, expected) in [(Self.stop, SideStream.meteringConfirmation, MessageKind.common(.sessionStopRes)),
                                            (Self.scheduleExchange, .scheduleRenegotiation, .common(.scheduleExchangeRes)),
                                            (checkIn, .parkingStatus, .common(.vehicleCheckInRes)),
                                            (acdp, .acdpSystemStatus, .acdp(.acdp_SystemStatusRes))] {
            var s = try Self.charging()
            let a = try Self.side(&s, request, on: stream)
            let answer = Self.sideResponse(a)
            #expect(answer?.0 == stream, "\(request.name) on \(stream)")
            #expect(answer?.1.kind == expected)
            #expect(answer?.1.responseCode == .failed_SequenceError, "\(request.name) on \(stream)")
            #expect(T.ended(a) == .failed(.failed_SequenceError))
            #expect(a.contains(.evse(.powerDelivery(on: false))), "contactor opened")
            #expect(!a.contains { if case .send = $0 { return true }; return false }, "nothing on the main stream")
        }
    }

    /// Another session's ID on a side stream is FAILED_UnknownSession ([V2G20-460]); a side
    /// request before service selection is out of sequence.
    @Test func sessionIDAndTimingOnSideStreams() throws {
        var s = try Self.charging()
        let foreign = V2GRequest.common(.powerDeliveryReq(PowerDeliveryReqType(header: T.header([9, 9, 9, 9, 9, 9, 9, 9]), evProcessing: .finished, chargeProgress: .scheduleRenegotiation)))
        let a = try Self.side(&s, foreign, on: .scheduleRenegotiation)
        #expect(Self.sideResponse(a)?.1.responseCode == .failed_UnknownSession)

        var early = T.session()
        T.toServiceDiscovery(&early)
        let b = try Self.side(&early, Self.renegotiate, on: .scheduleRenegotiation)
        #expect(Self.sideResponse(b)?.1.responseCode == .failed_SequenceError)
    }

    /// A renegotiation on the side stream and one on the main stream cannot run together; the
    /// main stream's loop goes on meanwhile, its timer untouched by side-stream answers.
    @Test func oneRenegotiationAtATime() throws {
        var s = try Self.charging()
        let a = try Self.side(&s, Self.renegotiate, on: .scheduleRenegotiation)
        #expect(Self.sideResponse(a)?.1.responseCode == .ok)
        #expect(!a.contains { if case .startTimer(.sequence, _) = $0 { return true }; return false }, "the main stream's timer is the main stream's")
        let loop = s.receive(.dc(.dc_ChargeLoopReq(DC_ChargeLoopReqType(
            header: T.header(), meterInfoRequested: false, evPresentVoltage: T.r(400),
            clReqControlMode: .scheduled_DC_CLReqControlMode(Scheduled_DC_CLReqControlModeType(evTargetCurrent: T.r(100), evTargetVoltage: T.r(410)))))), evse: T.evse)
        #expect(T.responseCode(try T.sent(loop).first) == .ok, "the loop goes on")
        let main = s.receive(Self.renegotiate, evse: T.evse)
        #expect(T.ended(main) == .failed(.failed_PowerDeliveryNotApplied))
    }

    /// A side-stream frame that does not decode, or a response where a request belongs: the
    /// session ends, nothing is answered on the main stream.
    @Test func garbageOnASideStream() throws {
        var s = try Self.charging()
        let a = s.receive(frame: V2GTPFrame(payloadType: 0x8104, payload: [0x80, 0xFF, 0x13, 0x00]), evse: T.evse)
        #expect(T.ended(a) != nil)
        #expect(!a.contains { if case .send = $0 { return true }; return false })
        #expect(a.contains(.evse(.powerDelivery(on: false))))
    }
}
