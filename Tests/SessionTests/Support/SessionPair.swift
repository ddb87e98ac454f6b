import ISO20Common
import Testing
import XMLDSig
import V2GSession
import V2GSimulation
import V2GTP

/// Our EVCC and our SECC engines on one simulated plant, the way the runtimes join them but with
/// nothing real in between: requests and responses cross as V2GTP frames (EXI encoded and
/// decoded), hardware commands go to the real simulators, timers and the plant run on a manual
/// clock. A whole DC session takes milliseconds. Tests change the charger's or the EV's reports
/// through `charger` and `driver` to stage faults, notifications and the driver's wishes.
struct SessionPair {
    struct Outcome {
        /// Every request the EVCC sent, in order.
        var sent: [V2GRequest] = []
        var requests: [MessageKind] { sent.map { $0.kind ?? .supportedAppProtocol } }
        var responses: [V2GResponse] = []
        /// Requests and responses on side streams, in order.
        var sideRequests: [(SideStream, V2GRequest)] = []
        var sideResponses: [(SideStream, V2GResponse)] = []
        var secc: SessionEnd?
        var evcc: SessionEnd?
        /// ChargingSession of the SessionStopReq, if one was sent.
        var stop: ChargingSessionType?
        /// V2G_EVCC_Msg_Timeout the EVCC set for each request, by name.
        var responseTimeouts: [String: Duration] = [:]
        /// The request the EVCC had ready when `run` stopped at `maxExchanges`, not yet answered.
        var next: V2GRequest?
        var messages: Int { sent.count + responses.count }
        /// Requests where `SECCSequenceObserver`, following the conversation, disagreed with the
        /// SECC on FAILED_SequenceError (`run` expects none: the trace's sequence check is the SECC's).
        var sequenceDisagreements: [String] = []
        /// Set if the plant's contactor was ever seen closed with the pilot out of C or D.
        var contactorClosedOutOfStateC = false
        var loops: Int { requests.filter(\.isChargeLoop).count }
        /// How many times the EVCC entered the phase of `kind` (a request repeated while Ongoing counts once).
        func phases(_ kind: MessageKind) -> Int {
            zip(requests, [nil] + requests.map(Optional.some)).filter { $0.0 == kind && $0.1 != kind }.count
        }
    }

    var secc: SECCSession
    var evcc: EVCCSession
    /// The SECC's state as an observer of the main stream infers it.
    var sequence = SECCSequenceObserver()
    let clock = SimulationClock.manual()
    let plant: SimulatedPlant
    let evse: SimulatedEVSE
    let ev: SimulatedEV
    /// Simulated time each exchange takes, the EVCC's pacing aside.
    var exchangeTime: Duration = .milliseconds(10)
    /// Header time of the session's start (seconds since the Unix epoch).
    var startTimestamp: UInt64 = 1_795_542_185
    /// Changes what the charger reports before the SECC handles `request` (and its loop number).
    var charger: (V2GRequest, Int, inout EVSEInputs) -> Void = { _, _, _ in }
    /// Changes a response before the EVCC receives it (a charger that answers differently).
    var answer: (inout V2GResponse) -> Void = { _ in }
    /// Changes what the EV reports after the response to a request (and the loop number).
    var driver: (Int, inout EVInputs) -> Void = { _, _ in }
    /// The charger shuts down (`SECCSession.shutdown`) before it handles the request that comes
    /// with this many charge loops done (nil: never).
    var shutdownAtLoop: Int?
    /// Whether the plant's contactor was closed after the shutdown began.
    var poweredAfterShutdown = false
    /// Whether the vehicle carries out a command of its EVCC (false: a faulty vehicle ignores it).
    var vehicleObeys: (EVCommand) -> Bool = { _ in true }
    /// Plug & Charge, EVCC side: what the vehicle's key store signs (`EVCCAction.sign`); nil: it cannot.
    var sign: ((SigningRequest) throws -> SignatureType)?
    /// Plug & Charge, SECC side: the charger's contract checks (`SECCAction.checkContract`),
    /// answered before the EVCC's next request.
    var checkContract: (ContractCheckRequest) -> ContractAuthorizationResult = { _ in ContractAuthorizationResult(.warning_GeneralPnCAuthorizationError) }
    /// Every contract check the SECC asked for.
    var contractChecks: [ContractCheckRequest] = []
    /// CertificateInstallation, SECC side: the backend's answer (`SECCAction.provideCertificate`).
    var provideCertificate: (CertificateInstallationReqType) -> CertificateInstallationOutcome = { _ in
        .refused(.warning_NoCertificateAvailable, "no provider in this test")
    }
    /// CertificateInstallation, EVCC side: the key store's check and opening of the contract
    /// (`EVCCAction.installContract`); nil: it fails.
    var installContract: (CertificateInstallationResType) -> EVCCContract? = { _ in nil }
    /// MeteringConfirmation, SECC side: the runtime's verdict on the EV's signature.
    var checkMetering: (MeteringCheckRequest) -> Bool = { _ in false }
    /// Every reading the EV confirmed, as the controller receives it.
    var meteringConfirmations: [SignedMeteringDataType] = []
    /// Signed price schedules, SECC side: the runtime's Signature over them (nil: unsigned).
    var signPriceSchedules: ([CommonMessagesFragment]) -> SignatureType? = { _ in nil }
    /// What the EVCC asked its runtime to check: signed price schedules and their Signature.
    var priceScheduleChecks: [([CommonMessagesFragment], SignatureType?)] = []
    /// Value-added services as each side's runtime heard of them (every change, in order).
    var seccValueAddedServices: [[SelectedValueAddedService]] = []
    var evccValueAddedServices: [[SelectedValueAddedService]] = []
    /// What the EV reported about parking, as the charger's controller receives it.
    var parkingReports: [VehicleParkingReport] = []

    init(secc: SECCSession = SECCSession(configuration: SECCConfiguration(evseID: "DE*SWI*E1234567")),
         evcc: EVCCConfiguration = EVCCConfiguration(evccID: "WMIV1234567890ABCDEX"), tls: Bool = false,
         battery: SimulatedPlant.Battery = SimulatedPlant.Battery(), dynamicPowerSetpoint: Double? = nil, discharge: Bool = false,
         acLimits: ACLimits = ACLimits(), gridLimit: SimulatedEVSE.GridLimit? = nil) {
        self.secc = secc
        self.evcc = EVCCSession(configuration: evcc, tls: tls)
        plant = SimulatedPlant(battery: battery, acLimits: acLimits, clock: clock)
        self.evse = SimulatedEVSE(plant: plant, dynamicPowerSetpoint: dynamicPowerSetpoint, gridLimit: gridLimit)
        self.ev = SimulatedEV(plant: plant, discharge: discharge)
    }

    /// Header time now.
    var timestamp: UInt64 { startTimestamp + UInt64(clock.now.components.seconds) }

    func evInputs(loops: Int) -> EVInputs {
        var inputs = ev.inputs(timestamp: timestamp)
        inputs.elapsed = clock.now
        driver(loops, &inputs)
        return inputs
    }

    /// Runs the session until one side ends it (or `maxExchanges`), then returns what happened.
    mutating func run(maxExchanges: Int = 3000) throws -> Outcome {
        var out = Outcome()
        var pending = try carryOut(evcc.start(ev: evInputs(loops: 0)), &out)
        for _ in 0..<maxExchanges {
            guard let request = pending.sentRequest, out.evcc == nil else { break }
            out.sent.append(request)
            if case .common(.sessionStopReq(let m)) = request { out.stop = m.chargingSession }
            let actions = try serve(request.frame(), request, &out)
            clock.advance(by: exchangeTime)
            guard var response = actions.sentResponse else { break }
            followSequence(request, response, &out)
            answer(&response)
            out.responses.append(response)
            pending = try carryOut(evcc.receive(frame: try response.frame(), ev: evInputs(loops: out.loops)), &out)
        }
        out.next = out.evcc == nil && out.secc == nil ? pending.sentRequest : nil
        #expect(out.sequenceDisagreements.isEmpty, "the sequence observer disagrees with the SECC: \(out.sequenceDisagreements)")
        return out
    }

    /// What `v2g trace` would infer from this exchange, checked against what the SECC did.
    private mutating func followSequence(_ request: V2GRequest, _ response: V2GResponse, _ out: inout Outcome) {
        let refused = response.responseCode == .failed_SequenceError
        if let accepts = sequence.accepts(request), accepts == refused {
            out.sequenceDisagreements.append("\(request.name) in \(sequence.state.map { "\($0)" } ?? "?"): observer \(accepts ? "accepts" : "refuses"), SECC answered \(response.responseCode?.rawValue ?? "-")")
        }
        sequence.observe(request, answeredBy: response)
    }

    /// The SECC handles one frame (main stream or side stream) the way its runtime does, and
    /// every action it takes is carried out; returns them all.
    private mutating func serve(_ frame: V2GTPFrame, _ request: V2GRequest, _ out: inout Outcome) throws -> [SECCAction] {
        var inputs = evse.inputs(timestamp: timestamp)
        charger(request, out.loops, &inputs)
        var actions: [SECCAction] = []
        if let loop = shutdownAtLoop, out.loops >= loop, !secc.shuttingDown, secc.state != .ended {
            actions += secc.shutdown(evse: inputs)
        }
        if secc.state != .ended { actions += secc.receive(frame: frame, evse: inputs) }
        var i = 0
        while i < actions.count {
            switch actions[i] {
            case .evse(let command):
                evse.perform(command)
                if case .parking(let report) = command { parkingReports.append(report) }
                if secc.shuttingDown, case .powerDelivery(on: true) = command { poweredAfterShutdown = true }
            case .endSession(let end): out.secc = end; evse.sessionEnded(end)
            case .checkContract(let check):
                contractChecks.append(check)
                _ = secc.contractChecked(checkContract(check))
            case .provideCertificate(let installation):
                actions += secc.certificateProvided(provideCertificate(installation), evse: inputs)
            case .checkMetering(let check):
                actions += secc.meteringChecked(valid: checkMetering(check), evse: inputs)
            case .meteringConfirmed(let data, _):
                meteringConfirmations.append(data)
            case .valueAddedServicesSelected(let services):
                seccValueAddedServices.append(services)
            case .signPriceSchedules(let schedules):
                actions += secc.priceSchedulesSigned(signPriceSchedules(schedules), evse: inputs)
            case .startTimer(.contactor, let poll):
                // The SECC holds PowerDeliveryRes(Start) for the pilot: it reads it again.
                clock.advance(by: poll)
                inputs = evse.inputs(timestamp: timestamp)
                charger(request, out.loops, &inputs)
                actions += secc.timerExpired(.contactor, evse: inputs)
            default: break
            }
            // The contactor never closes with the pilot out of C or D.
            if plant.contactorsClosed && !plant.controlPilot.readyForPower { out.contactorClosedOutOfStateC = true }
            i += 1
        }
        return actions
    }

    /// The EVCC's actions the way a runtime carries them out: EV commands to the vehicle, the
    /// pacing timer waited on the manual clock, then the paced request's actions appended.
    private mutating func carryOut(_ actions: [EVCCAction], _ out: inout Outcome) throws -> [EVCCAction] {
        var all = actions
        var i = 0
        while i < all.count {
            switch all[i] {
            case .ev(let command):
                if vehicleObeys(command) { ev.perform(command) }
                if plant.contactorsClosed && !plant.controlPilot.readyForPower { out.contactorClosedOutOfStateC = true }
            case .endSession(let end): out.evcc = end; ev.sessionEnded(end)
            case .sendOnSideStream(let request, let stream):
                // A side stream's request is served at once, and its answer goes straight back.
                out.sideRequests.append((stream, request))
                for case .sendOnSideStream(var response, let s) in try serve(request.frame(on: .side(stream)), request, &out) {
                    answer(&response)
                    out.sideResponses.append((s, response))
                    all += evcc.receive(frame: try response.frame(on: .side(s)), ev: evInputs(loops: out.loops))
                }
            case .sign(let request):
                do {
                    guard let sign else { throw Fixtures.TestFailure("no key to sign with") }
                    all += evcc.signed(try sign(request), ev: evInputs(loops: out.loops))
                } catch {
                    all += evcc.signingFailed("\(error)", ev: evInputs(loops: out.loops))
                }
            case .verifyPriceSchedules(let schedules, let signature):
                priceScheduleChecks.append((schedules, signature))
            case .valueAddedServicesSelected(let services):
                evccValueAddedServices.append(services)
            case .installContract(let response):
                if let contract = installContract(response) {
                    all += evcc.contractInstalled(contract, ev: evInputs(loops: out.loops))
                } else {
                    all += evcc.contractInstallationFailed("the test's key store refused", ev: evInputs(loops: out.loops))
                }
            case .startTimer(.pacing, let pause):
                clock.advance(by: pause)
                all += evcc.timerExpired(.pacing, ev: evInputs(loops: out.loops))
            case .startTimer(.response, let timeout):
                if let request = all.sentRequest?.kind { out.responseTimeouts[request.rootName(request: true)] = timeout }
            default: break
            }
            i += 1
        }
        return all
    }
}
