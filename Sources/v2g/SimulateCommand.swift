import ArgumentParser
import ISO20Common
import Foundation
import Logging
import NIOPosix
import V2GRuntime
import V2GPKI
import V2GTLS
import V2GSession
import V2GSimulation
import XMLDSig

enum ServiceOption: String, ExpressibleByArgument, CaseIterable {
    case dc, dcBPT = "dc-bpt", ac, acBPT = "ac-bpt"
    var serviceID: UInt16 {
        switch self {
        case .dc: EnergyService.dcServiceID
        case .dcBPT: EnergyService.dcBPTServiceID
        case .ac: EnergyService.acServiceID
        case .acBPT: EnergyService.acBPTServiceID
        }
    }
    var isBidirectional: Bool { self == .dcBPT || self == .acBPT }
    var isAC: Bool { self == .ac || self == .acBPT }
}

/// The AC connection, for `simulate`, `secc` and `evcc`.
struct ACOptions: ParsableArguments {
    @Option(help: "AC: phases, 1 or 3.") var phases: Int = 3
    @Option(help: "AC charger: current per phase, A.") var acCurrent: Double = 16
    @Option(help: "AC: the grid operator lowers the charger's limit mid-session: KW:SECONDS (power over all phases, seconds after power started).")
    var gridLimit: GridLimitOption?

    func validate() throws {
        guard phases == 1 || phases == 3 else { throw ValidationError("--phases is 1 or 3") }
    }

    var acLimits: ACLimits {
        ACLimits(phases: phases, maximumChargeCurrent: acCurrent, maximumDischargeCurrent: acCurrent)
    }

    /// The on-board charger: 11 kW on three phases, 3.7 kW on one (16 A at 230 V).
    var onBoardCharger: SimulatedPlant.OnBoardCharger {
        let power = Double(phases) * 230 * 16
        return .init(limits: ACEVLimits(maximumChargePower: power, minimumChargePower: Double(phases) * 230 * 6,
                                        maximumDischargePower: power, minimumDischargePower: Double(phases) * 230 * 6),
                     phases: phases)
    }
}

/// `KW:SECONDS`: a grid limit of KW over all phases from SECONDS (real time) after power started.
struct GridLimitOption: ExpressibleByArgument {
    let limit: SimulatedEVSE.GridLimit
    init?(argument: String) {
        let parts = argument.split(separator: ":")
        guard parts.count == 2, let kw = Double(parts[0]), kw >= 0, let seconds = Double(parts[1]), seconds >= 0 else { return nil }
        limit = .init(watts: kw * 1000, after: .milliseconds(Int(seconds * 1000)))
    }
}

enum ControlModeOption: String, ExpressibleByArgument, CaseIterable {
    case scheduled, dynamic
    var mode: ControlMode { self == .scheduled ? .scheduled : .dynamic }
}

/// `KIND:SECONDS[:MAXDELAY]`: the simulated charger raises EVSENotification KIND (terminate,
/// pause, service-renegotiation, schedule-renegotiation) once, SECONDS of real time after power
/// started, with NotificationMaxDelay MAXDELAY (default 60 s).
struct NotificationOption: ExpressibleByArgument {
    let notification: SimulatedEVSE.Notification

    init?(argument: String) {
        let parts = argument.split(separator: ":")
        let kinds: [String: EvseNotificationType] = ["terminate": .terminate, "pause": .pause,
                                                    "service-renegotiation": .serviceRenegotiation,
                                                    "schedule-renegotiation": .scheduleRenegotiation,
                                                    "metering-confirmation": .meteringConfirmation]
        guard (2...3).contains(parts.count), let kind = kinds[String(parts[0])], let seconds = Double(parts[1]), seconds >= 0,
              let maxDelay = parts.count == 3 ? UInt16(parts[2]) : 60 else { return nil }
        notification = .init(kind, after: .milliseconds(Int(seconds * 1000)), maxDelay: maxDelay)
    }

    /// The SECC offers renegotiation when it is going to ask for it.
    var needsRenegotiation: Bool { notification.kind == .serviceRenegotiation }
}

/// The simulated EV battery, for `simulate` and `evcc`.
struct BatteryOptions: ParsableArguments {
    @Option(help: "Battery state of charge at the start, percent.") var soc: Double = 40
    @Option(help: "Target state of charge, percent.") var targetSOC: Double = 80
    @Option(help: "Battery capacity, kWh.") var capacity: Double = 60
    @Option(help: "DC_BPT: discharge down to this state of charge, percent (default: 10 below the start).")
    var minimumSOC: Double?

    var battery: SimulatedPlant.Battery {
        var battery = SimulatedPlant.Battery()
        battery.soc = soc
        battery.targetSOC = targetSOC
        battery.capacityWh = capacity * 1000
        battery.minimumSOC = minimumSOC ?? min(soc - 10, targetSOC)
        return battery
    }

    func energyLine(_ plant: SimulatedPlant) -> String {
        String(format: "energy: %.3f kWh %@, SOC %.1f%% → %.1f%%", abs(plant.energyWh) / 1000,
               plant.energyWh < 0 ? "from the EV" : "to the EV", soc, plant.soc)
    }
}

/// Both roles in one process on loopback: a whole DC session with a live message log.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run an SECC and an EVCC in one process on loopback: a whole ISO 15118-20 DC or AC session.")

    @Option(help: "Energy service: dc, dc-bpt, ac or ac-bpt (bidirectional: the charger draws power from the EV).") var service: ServiceOption = .dc
    @Option(help: "Control mode: scheduled or dynamic.") var controlMode: ControlModeOption = .dynamic
    @Flag(help: "Plain TCP instead of TLS 1.3 (not conformant to ISO 15118-20).") var noTLS = false
    @OptionGroup var battery: BatteryOptions
    @OptionGroup var ac: ACOptions
    @Option(help: "DC charger maximum power, kW.") var maxPower: Double = 150
    @Option(help: "DC charger maximum current, A.") var maxCurrent: Double = 350
    @Option(help: "Simulated seconds per real second (default 120 for DC, 600 for AC).") var timeFactor: Double?
    @Option(help: "Pause (SessionStop(Pause)) when the battery reaches this SOC, then resume the session.") var pauseAtSOC: Double?
    @Option(help: "The charger raises a notification: KIND:SECONDS[:MAXDELAY], KIND one of terminate, pause, service-renegotiation, schedule-renegotiation, metering-confirmation (with --auth pnc: the EV signs the reading).")
    var notify: NotificationOption?
    @Flag(help: "Only print the summary.") var quiet = false
    @Option(help: "Authorization: eim, or pnc (Plug & Charge: the vehicle signs with the test PKI's contract certificate, the charger checks it; TLS only).")
    var auth: AuthOption = .eim
    @Flag(help: "The charger signs its price schedules (the SECC certificate's key, its chain in KeyInfo); the vehicle checks them against the V2G root.")
    var signPrices = false
    @Flag(help: "With --auth pnc: the vehicle starts without a contract and installs one (CertificateInstallation from the test PKI's CPS) before it authorizes with it.")
    var installCertificate = false
    @OptionGroup var life: SessionLifeOptions
    @Option(help: "Write the session (the EVCC's connection, with the TLS secrets) to this pcapng file, for v2g trace, Wireshark or tshark.")
    var capture: String?
    @Option(help: "Write the session as one self-contained HTML page (what v2g trace --html writes): facts, findings, plots, the message sequence.")
    var report: String?

    /// On OpenSSL the charger staples OCSP responses from the test PKI's responders and the vehicle
    /// requires one; swift-nio-ssl cannot staple.
    static func staple(_ pki: TestPKI, secc: inout TLSProfile, evcc: inout TLSProfile) throws {
        #if OpenSSL
        secc.ocspResponses = try pki.seccOCSPResponses()
        evcc.ocspPolicy = .required
        #endif
    }

    func run() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let discharge = service.isBidirectional
        var limits = DCLimits()
        limits.maximumChargePower = maxPower * 1000
        limits.maximumChargeCurrent = maxCurrent
        let timeFactor = self.timeFactor ?? (service.isAC ? 600 : 120)
        let plant = SimulatedPlant(battery: battery.battery, limits: limits, acLimits: ac.acLimits, onBoardCharger: ac.onBoardCharger,
                                   timeFactor: timeFactor)
        // Dynamic BPT: the charger takes 60 % of what it may from the EV.
        let setpoint: Double? = !discharge ? nil : service.isAC ? -ac.acLimits.maximumDischargePower * 0.6 : -limits.maximumDischargePower * 0.6

        let seccSecurity: TransportSecurity, evccSecurity: TransportSecurity
        var ocspStapled = false
        if auth == .pnc && noTLS { throw ValidationError("Plug & Charge runs over TLS only: leave out --no-tls") }
        let pki = try TestPKI()
        let contractChecks = auth == .pnc ? RecordingAuthorizer() : nil
        if installCertificate && auth != .pnc { throw ValidationError("--install-certificate installs a contract for Plug & Charge: add --auth pnc") }
        let vehicleRoots = [try pki.v2gRoot.certificate.derBytes, try pki.moRoot.certificate.derBytes]
        let plugAndCharge = try contractChecks.map {
            SECCPlugAndCharge(check: ContractAuthorizationCheck(trustedRootsDER: vehicleRoots), authorizer: $0,
                              installation: SECCCertificateInstallation(check: ProvisioningCheck(trustedRootsDER: [try pki.oemRoot.certificate.derBytes]),
                                                                        provider: SimulatedCPS(pki: pki)))
        }
        // The vehicle: its contract (unless it installs one) and what it installs with.
        let contract = try auth == .pnc && !installCertificate
            ? EVCCContract(certificateChain: pki.contractChain.map { try $0.derBytes }, emaid: TestPKI.Options().emaid) : nil
        let provisioning = try auth == .pnc
            ? EVCCProvisioning(certificateChain: pki.oemProvisioningChain.map { try $0.derBytes },
                               rootCertificateIDs: [X509IssuerSerialType(certificate: pki.moRoot.certificate), X509IssuerSerialType(certificate: pki.v2gRoot.certificate)])
            : nil
        let installed = InstalledBox()
        let vehicleKeys = VehicleKeys(contractKey: contract == nil ? nil : .p521(pki.contract.privateKey),
                                      provisioning: VehicleKeys.Provisioning(key: pki.oemProvisioning.privateKey, pcid: TestPKI.Options().evccID,
                                                                             installation: ContractInstallation(trustedRootsDER: vehicleRoots)),
                                      onInstall: { installed.set($0) })
        if noTLS {
            (seccSecurity, evccSecurity) = (.plainTCPNonConformant, .plainTCPNonConformant)
        } else {
            var secc = TLSProfile(role: .secc, certificateChain: pki.seccChain, privateKey: pki.secc.privateKey,
                                  trustedRoots: [pki.oemRoot.certificate, pki.v2gRoot.certificate])
            var evcc = TLSProfile(role: .evcc, certificateChain: pki.vehicleChain, privateKey: pki.vehicle.privateKey,
                                  trustedRoots: [pki.v2gRoot.certificate])
            try Self.staple(pki, secc: &secc, evcc: &evcc)
            seccSecurity = .tls(secc)
            evccSecurity = .tls(evcc)
            ocspStapled = !secc.ocspResponses.isEmpty
        }
        var seccLogger = Logger(label: "v2g.secc") { _ in LineLogHandler(role: "SECC") }
        var evccLogger = Logger(label: "v2g.evcc") { _ in LineLogHandler(role: "EVCC") }
        if quiet { seccLogger.logLevel = .warning; evccLogger.logLevel = .warning }

        // The report is the trace of the session's capture (a temporary one unless --capture names it).
        let capturePath = capture ?? report.map { _ in FileManager.default.temporaryDirectory.appendingPathComponent("v2g-report-\(UUID().uuidString).pcapng").path }
        let captureFile = try capturePath.map { try CaptureFile(path: $0) }
        let seccResults = ResultBox()
        let evse = SimulatedEVSE(plant: plant, dynamicPowerSetpoint: setpoint, notification: notify?.notification, gridLimit: ac.gridLimit?.limit,
                                 exitStandbyAfter: life.exitStandby)
        var seccConfiguration = SECCConfiguration(evseID: "DE*SWI*E1234567", authorizationServices: auth.offered,
                                                  serviceRenegotiationSupported: notify?.needsRenegotiation ?? false)
        life.charger(&seccConfiguration)
        let server = try await SECCServer.start(
            group: group,
            configuration: .init(session: seccConfiguration,
                                 host: "127.0.0.1", port: 0, security: seccSecurity, plugAndCharge: plugAndCharge,
                                 priceScheduleSigner: signPrices ? PriceScheduleSigner(key: .p521(pki.secc.privateKey),
                                                                                       certificateChain: try pki.seccChain.map { try $0.derBytes }) : nil,
                                 valueAddedServices: LoggedValueAddedServices(logger: seccLogger)),
            controller: evse,
            logger: seccLogger) { seccResults.append($0) }
        var vehicles: [SimulatedEV] = []
        func vehicle(_ pauseAtSOC: Double?) -> SimulatedEV {
            let ev = SimulatedEV(plant: plant, discharge: discharge, pauseAtSOC: pauseAtSOC, standby: life.standbyPlan)
            vehicles.append(ev)
            return ev
        }
        func session(resume: PausedSession?, pauseAtSOC: Double?) async throws -> SessionResult {
            let seen = seccResults.count
            var evccConfiguration = EVCCConfiguration(evccID: "WMIV1234567890ABCDEX", preferredService: service.serviceID,
                                                      controlMode: controlMode.mode, resume: resume, contract: contract, provisioning: provisioning)
            life.vehicle(&evccConfiguration)
            let result = try await EVCCClient.run(
                group: group,
                configuration: .init(session: evccConfiguration,
                                     host: "127.0.0.1", port: server.port, security: evccSecurity, keys: vehicleKeys,
                                     priceScheduleRoots: [try pki.v2gRoot.certificate.derBytes], capture: captureFile),
                controller: vehicle(pauseAtSOC),
                logger: evccLogger)
            // The SECC reports when it has closed its side.
            for _ in 0..<100 where seccResults.count == seen { try await Task.sleep(nanoseconds: 10_000_000) }
            return result
        }
        var evccResults = [try await session(resume: nil, pauseAtSOC: pauseAtSOC)]
        if let paused = evccResults[0].paused {
            // The driver comes back: a new connection resumes the paused session.
            if !quiet { printLive(String(format: "paused at SOC %.1f%%; resuming", plant.soc)) }
            try await Task.sleep(for: .milliseconds(500))
            evccResults.append(try await session(resume: paused, pauseAtSOC: nil))
        }
        try await server.close()
        try await group.shutdownGracefully()
        captureFile?.close()

        let secc = seccResults.all
        let evcc = evccResults.last!
        print("")
        print("session: \(service.rawValue)\(service.isAC ? ", \(ac.phases) phase\(ac.phases == 1 ? "" : "s")" : ""), \(controlMode.rawValue) control, \(noTLS ? "plain TCP (non-conformant)" : "TLS 1.3 on \(DefaultTLSBackend.backend.name), mutual authentication\(ocspStapled ? ", OCSP stapled and required" : "")")")
        print("ended: EVCC \(evccResults.map { "\($0.end)" }.joined(separator: ", then ")), SECC \(secc.isEmpty ? "no result" : secc.map { "\($0.end)" }.joined(separator: ", then "))")
        if let contract = installed.value {
            print("certificate installation: contract \(contract.emaid) issued by the test CPS, its key sealed to the OEM provisioning key (ECDH P-521, ConcatKDF-SHA512, AES-256-GCM); the vehicle checked the CPS signature and chain and the contract chain, opened the key and matched it to the certificate")
        }
        switch vehicles.last?.priceScheduleCheck {
        case .success(let signer)?: print("price schedules: signed by \(signer); the vehicle checked the signature and the signer's chain to the V2G root")
        case .failure(let refusal)?: print("price schedules: the vehicle did not accept the signature: \(refusal)")
        case nil: break
        }
        if let services = vehicles.last?.valueAddedServices, !services.isEmpty {
            print("value-added services: \(services.map(\.description).joined(separator: ", ")) selected with the energy service; the charger's provider was told")
        }
        if plant.standbyEntries > 0 {
            print("standby: \(plant.standbyEntries) time\(plant.standbyEntries == 1 ? "" : "s"), \(format(plant.standbyTotal)) (simulated \(format(plant.standbyTotal * timeFactor))) in standby, the charge loop keeping the session alive at zero power; ended by \(life.exitStandby != nil ? "the charger's ExitStandby" : "the EV")")
        }
        if !evse.parkingReports.isEmpty {
            print("parking: the EV reported \(evse.parkingReports.map(\.description).joined(separator: ", ")) on the parking-status side stream; the car park answered with its guidance")
        }
        for receipt in evse.meteringReceipts {
            print("metering confirmation: the EV signed meter \(receipt.meterInfo.meterID) at \(receipt.meterInfo.chargedEnergyReadingWh) Wh with its contract key; the charger verified it and kept the signed reading")
        }
        if let contractChecks {
            let seen = contractChecks.contracts
            print("authorization: Plug & Charge, \(seen.isEmpty ? "no contract reached the backend" : seen.map { "contract \($0.emaid): signature \($0.algorithm == .ed448 ? "Ed448" : "ECDSA-P521-SHA512"), GenChallenge, validity and path to the MO root (\($0.chainDER.count) certificates) checked, authorized by the local list" }.joined(separator: "; "))")
        }
        if let capture { print("capture: \(capture) (pcapng, the TLS secrets inside): v2g trace \(capture)") }
        if let report, let capturePath {
            try TraceReportFile.write(capture: capturePath, to: report, title: "Simulated \(service.rawValue) session")
            if capture == nil { try? FileManager.default.removeItem(atPath: capturePath) }
            print("report: \(report)")
        }
        print(battery.energyLine(plant))
        let messages = evccResults.map(\.messages).reduce(0, +)
        let duration = evccResults.map(\.duration).reduce(.zero, +)
        print("messages: \(messages), duration: \(format(duration)) (simulated \(format(duration * timeFactor)))")
        let turnarounds = secc.flatMap(\.chargeLoopTurnarounds).sorted()
        if let worst = turnarounds.last {
            print("SECC charge-loop response time: median \(format(turnarounds[turnarounds.count / 2])), worst \(format(worst)) over \(turnarounds.count) loops")
        }
        guard evcc.end.reason == .terminated, secc.last?.end.reason == .terminated, secc.count == evccResults.count else { throw ExitCode(1) }
    }

    func format(_ d: Duration) -> String {
        let s = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        return s < 1 ? String(format: "%.3f ms", s * 1000) : String(format: "%.2f s", s)
    }
}

/// The local list, remembering each contract it was asked about: what `simulate` reports.
final class RecordingAuthorizer: ContractAuthorizer, @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [ContractAuthorizationCheck.Contract] = []
    var contracts: [ContractAuthorizationCheck.Contract] { lock.withLock { seen } }

    func authorize(_ contract: ContractAuthorizationCheck.Contract) async -> ContractAuthorizationResult {
        lock.withLock { seen.append(contract) }
        return await LocalContractAuthorizer().authorize(contract)
    }
}

/// The contract the vehicle installed, for the summary.
final class InstalledBox: @unchecked Sendable {
    private let lock = NSLock()
    private var installed: ContractInstallation.Installed?
    func set(_ v: ContractInstallation.Installed) { lock.withLock { installed = v } }
    var value: ContractInstallation.Installed? { lock.withLock { installed } }
}

/// The SECC's session results, in order, as its connections end.
final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [SessionResult] = []
    func append(_ v: SessionResult) { lock.withLock { values.append(v) } }
    var all: [SessionResult] { lock.withLock { values } }
    var count: Int { lock.withLock { values.count } }
}
