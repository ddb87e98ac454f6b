import ArgumentParser
import ServiceLifecycle
import Foundation
import Logging
import NIOCore
import NIOPosix
import SDP
import V2GRuntime
import V2GPKI
import V2GTLS
import ISO20Common
import V2GSession
import V2GSimulation

/// Options both separate-process roles share.
struct PeerOptions: ParsableArguments {
    @Option(help: "Write every connection (with the TLS secrets) to this pcapng file, for v2g trace, Wireshark or tshark.")
    var capture: String?
    @Option(help: "Directory of a PKI written by `v2g pki init` (unencrypted keys).") var pki: String?
    @Flag(help: "Plain TCP instead of TLS 1.3 (not conformant to ISO 15118-20).") var noTLS = false
    @Option(help: "EVCC: what a missing OCSP staple means: required (public environment, Plug & Charge) or when-stapled (private environment: check one if sent).")
    var ocsp: TLSProfile.OCSPPolicy = .checkWhenStapled
    @Option(help: "Authorization: eim, or pnc (Plug & Charge with the PKI's contract certificate; the SECC offers PnC and EIM, over TLS only, and CertificateInstallation from the folder's simulated CPS).")
    var auth: AuthOption = .eim
    @Flag(help: "EVCC, with --auth pnc: start without a contract and install one (CertificateInstallation), then authorize with it.")
    var installCertificate = false
    @Option(help: "Log level: trace, debug, info (every message), notice, warning, error, critical.") var logLevel: Logger.Level = .info
    @Option(help: "EVCC: keep an installed contract in this folder (contract chain and key, the key encrypted with PBES2/AES-256 under $V2G_KEY_PASSPHRASE).")
    var storeContract: String?

    /// Where an installed contract is kept, with the passphrase its key is encrypted under.
    func contractStore() throws -> (@Sendable (ContractInstallation.Installed) -> Void)? {
        guard let storeContract else { return nil }
        guard let passphrase = ProcessInfo.processInfo.environment["V2G_KEY_PASSPHRASE"], !passphrase.isEmpty else {
            throw ValidationError("--store-contract encrypts the key: set V2G_KEY_PASSPHRASE")
        }
        let directory = URL(fileURLWithPath: storeContract)
        return { installed in
            do {
                try ContractFiles(directory: directory).write(installed, passphrase: passphrase)
            } catch {
                FileHandle.standardError.write(Data("cannot keep the installed contract in \(directory.path): \(error)\n".utf8))
            }
        }
    }

    func files() throws -> PKIFiles {
        guard let pki else { throw ValidationError("give --pki DIR (from `v2g pki init DIR`)") }
        return PKIFiles(directory: URL(fileURLWithPath: pki))
    }

    func security(_ role: TLSProfile.Role) throws -> TransportSecurity {
        if noTLS { return .plainTCPNonConformant }
        guard let pki else { throw ValidationError("give --pki DIR (from `v2g pki init DIR`) or --no-tls") }
        let files = PKIFiles(directory: URL(fileURLWithPath: pki))
        if role == .secc { return .tls(try files.seccProfile()) }
        var profile = try files.evccProfile()
        profile.ocspPolicy = ocsp
        return .tls(profile)
    }
}

extension TLSProfile.OCSPPolicy: ExpressibleByArgument {}

extension Logger.Level: @retroactive ExpressibleByArgument {}

enum AuthOption: String, ExpressibleByArgument, CaseIterable {
    case eim, pnc
    /// What an SECC offers: PnC first when asked for (EIM beside it for vehicles without a contract).
    var offered: [AuthorizationType] { self == .pnc ? [.pnC, .eim] : [.eim] }
}

/// The IPv6 link-local address of an interface, for the SDP response.
func linkLocalAddress(_ interface: String) throws -> [UInt8] {
    for device in try System.enumerateDevices() where device.name == interface {
        if case .v6(let a)? = device.address {
            let bytes = withUnsafeBytes(of: a.address.sin6_addr) { Array($0) }
            if bytes[0] == 0xFE && bytes[1] & 0xC0 == 0x80 { return bytes }
        }
    }
    throw ValidationError("interface \(interface) has no IPv6 link-local address")
}

struct SECCCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secc", abstract: "Run an SECC (charger side) with a simulated power module until interrupted.")

    @OptionGroup var peer: PeerOptions
    @Option(help: "Interface for SDP (answers on ff02::1) and to listen on (e.g. a PLC modem's eth1).") var interface: String?
    @Option(help: "Address to listen on.") var host = "::"
    @Option(help: "TCP port (0: any free port).") var port = 50_000
    @Option(help: "Stop after this many sessions (0: run until interrupted).") var sessions = 0
    @Option(help: "On SIGTERM or SIGINT: seconds the sessions get to end in order after power is off.") var shutdownGrace: Double = 5
    @Option(help: "Control modes to offer, in this order (repeat the option; default: scheduled, then dynamic).")
    var controlMode: [ControlModeOption] = []
    @Option(help: "Pricing parameter: price-levels (a PriceLevelSchedule in ScheduleExchangeRes), absolute (0.39 EUR/kWh as an AbsolutePriceSchedule) or none.")
    var pricing: PricingOption = .priceLevels
    @Option(help: "Raise a notification once, SECONDS after power first flowed: KIND:SECONDS[:MAXDELAY], KIND one of terminate, pause, service-renegotiation, schedule-renegotiation, metering-confirmation (with --auth pnc: the EV signs the reading).")
    var notify: NotificationOption?
    @OptionGroup var ac: ACOptions
    @Flag(help: "Sign the price schedules of ScheduleExchangeRes with the SECC certificate's key (its chain in KeyInfo).")
    var signPrices = false
    @OptionGroup var life: SessionLifeOptions

    func run() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let security = try peer.security(.secc)
        let modes = controlMode.isEmpty ? [ControlMode.scheduled, .dynamic] : controlMode.map(\.mode)
        let captureFile = try peer.capture.map { try CaptureFile(path: $0) }
        defer { captureFile?.close() }
        var session = SECCConfiguration(evseID: "DE*SWI*E1234567", authorizationServices: peer.auth.offered, energyServices: [
            .dc(controlModes: modes, pricing: pricing.pricing), .dcBPT(controlModes: modes, pricing: pricing.pricing),
            .ac(controlModes: modes, pricing: pricing.pricing, phases: ac.phases), .acBPT(controlModes: modes, pricing: pricing.pricing, phases: ac.phases)],
            serviceRenegotiationSupported: notify?.needsRenegotiation ?? false,
            absoluteTariff: pricing == .absolute ? .flatEnergyPrice(perKWh: 0.39) : nil)
        life.charger(&session)
        // Each connection is a charge point of its own with its own simulated power module, so
        // that concurrent sessions (`v2g load`) do not share one. No pilot wire to an EV in
        // another process: the charger reads an EV ready for power (C).
        let (acLimits, notification, gridLimit, exitStandby) = (ac.acLimits, notify?.notification, ac.gridLimit?.limit, life.exitStandby)
        let logger = { var l = Logger(label: "v2g.secc") { _ in LineLogHandler(role: "SECC") }; l.logLevel = peer.logLevel; return l }()
        let finished = AsyncStream<SessionResult>.makeStream()
        let server = try await SECCServer.start(
            group: group,
            configuration: .init(session: session, host: host, port: port, security: security,
                                 plugAndCharge: try peer.auth == .pnc ? peer.files().seccPlugAndCharge(installation: true) : nil,
                                 priceScheduleSigner: try signPrices ? peer.files().priceScheduleSigner() : nil,
                                 valueAddedServices: LoggedValueAddedServices(logger: logger), capture: captureFile),
            controllers: {
                LoggedEVSE(SimulatedEVSE(plant: SimulatedPlant(acLimits: acLimits, controlPilot: .c), notification: notification,
                                         gridLimit: gridLimit, followsReportedPower: true, exitStandbyAfter: exitStandby), logger: logger)
            },
            logger: logger) { finished.continuation.yield($0) }
        var sdp: SDPServer?
        if let interface {
            sdp = try await SDPServer.start(group: group, configuration: .init(
                interface: interface, seccAddress: try linkLocalAddress(interface), seccPort: UInt16(server.port),
                security: security.isConformant ? .tls : .none)) { line in logger.info("\(line)") }
        }
        // SIGTERM and SIGINT shut the charger down gracefully (`SECCServer.shutdown`): the
        // sessions' power off first, then each ended in order within the grace time; exit 0.
        let service = SECCService(server: server, sdp: sdp, finished: finished, sessions: sessions, grace: .seconds(shutdownGrace), logger: logger)
        let lifecycle = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [.init(service: service, successTerminationBehavior: .gracefullyShutdownGroup)],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await lifecycle.run()
        try await group.shutdownGracefully()
    }
}

/// `v2g secc` under swift-service-lifecycle: prints each session's result until `sessions` are
/// done, or until a graceful shutdown has brought every session to its end.
struct SECCService: Service {
    let server: SECCServer
    let sdp: SDPServer?
    let finished: (stream: AsyncStream<SessionResult>, continuation: AsyncStream<SessionResult>.Continuation)
    let sessions: Int
    let grace: Duration
    let logger: Logger

    func run() async throws {
        let (server, sdp, finished, grace, logger) = (server, sdp, finished, grace, logger)
        await withGracefulShutdownHandler {
            var count = 0
            for await result in finished.stream {
                print(result)
                count += 1
                if sessions > 0 && count >= sessions { break }
            }
        } onGracefulShutdown: {
            Task {
                try? await sdp?.close()
                await server.shutdown(grace: grace, logger: logger)
                logger.info("shutdown complete")
                finished.continuation.finish()
            }
        }
        try? await sdp?.close()
        try? await server.close()
    }
}

enum PricingOption: String, ExpressibleByArgument, CaseIterable {
    case priceLevels = "price-levels", absolute, none
    var pricing: EnergyService.Pricing {
        switch self {
        case .priceLevels: .priceLevels
        case .absolute: .absolute
        case .none: .none
        }
    }
}

struct EVCCCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evcc", abstract: "Run an EVCC (vehicle side) with a simulated battery: one session, then exit.")

    @OptionGroup var peer: PeerOptions
    @Option(help: "Interface to find the SECC on with SDP (ff02::1).") var interface: String?
    @Option(help: "SECC address instead of SDP.") var host: String?
    @Option(help: "SECC TCP port (with --host).") var port = 50_000
    @Option(help: "Energy service: dc, dc-bpt, ac or ac-bpt.") var service: ServiceOption = .dc
    @Option(help: "Control mode: scheduled or dynamic.") var controlMode: ControlModeOption = .dynamic
    @Option(help: "Simulated seconds per real second.") var timeFactor: Double = 120
    @OptionGroup var battery: BatteryOptions
    @OptionGroup var ac: ACOptions
    @OptionGroup var life: SessionLifeOptions
    @Option(help: "Seconds a SIGTERM or SIGINT gives the session to end in order before the connection is closed.")
    var shutdownGrace: Double = 5

    func run() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let security = try peer.security(.evcc)
        let logger = { var l = Logger(label: "v2g.evcc") { _ in LineLogHandler(role: "EVCC") }; l.logLevel = peer.logLevel; return l }()
        var target = (host: host ?? "", port: port)
        if host == nil {
            guard let interface else { throw ValidationError("give --interface (SDP) or --host") }
            let found = try await SDPClient.discover(group: group, target: try SDPClient.multicastTarget(interface: interface),
                                                     request: SDPRequest(security: security.isConformant ? .tls : .none), interface: interface)
            target = ("\(found.addressText)%\(interface)", Int(found.port))
            logger.info("SDP: SECC at [\(found.addressText)]:\(found.port)")
        }
        let plant = SimulatedPlant(battery: battery.battery, acLimits: ac.acLimits, onBoardCharger: ac.onBoardCharger, timeFactor: timeFactor)
        let captureFile = try peer.capture.map { try CaptureFile(path: $0) }
        defer { captureFile?.close() }
        let pnc = peer.auth == .pnc ? try peer.files().evccPlugAndCharge(withContract: !peer.installCertificate, store: try peer.contractStore()) : nil
        var session = EVCCConfiguration(evccID: "WMIV1234567890ABCDEX", preferredService: service.serviceID,
                                        controlMode: controlMode.mode, contract: pnc?.contract, provisioning: pnc?.provisioning)
        life.vehicle(&session)
        let configuration = EVCCClient.Configuration(session: session,
                                                     host: target.host, port: target.port, security: security, keys: pnc?.keys,
                                                     priceScheduleRoots: try? peer.files().rootsDER("v2g-root", "mo-root"), capture: captureFile)
        let ev = SimulatedEV(plant: plant, discharge: service.isBidirectional, followsReportedOutput: true, standby: life.standbyPlan)
        // SIGTERM and SIGINT end the session in order (the EV's charging complete), within the grace time.
        let (result, stopped) = try await VehicleLifecycle.run(grace: .seconds(shutdownGrace), logger: logger) { stop in
            var configuration = configuration
            configuration.stop = stop
            return try await EVCCClient.run(group: group, configuration: configuration, controller: ev, logger: logger)
        }
        print(result)
        print(battery.energyLine(plant))
        try await group.shutdownGracefully()
        if stopped { logger.notice("shut down: \(result.end)") }
        // 0: ended with SessionStop(Terminate), or shut down by a signal and cut at the grace's end.
        guard result.end.reason == .terminated || (stopped && result.end.reason == .shutdown) else { throw ExitCode(1) }
    }
}
