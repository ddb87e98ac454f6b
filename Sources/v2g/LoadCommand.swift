import ArgumentParser
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import V2GRuntime
import V2GSession
import V2GSimulation

/// `v2g load`: many whole EVCC sessions from one process against one SECC (ours or anyone's), to
/// measure a charger at scale. Loopback or our own namespaces: it only connects where it is told.
struct LoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load", abstract: "Run many EVCC sessions (TLS 1.3 by default) against one SECC and report sessions/s, handshakes, loop turnaround and failures.")

    @OptionGroup var peer: PeerOptions
    @Option(help: "SECC address.") var host = "::1"
    @Option(help: "SECC TCP port.") var port = 50_000
    @Option(help: "Sessions in all.") var sessions = 100
    @Option(help: "Sessions at a time.") var concurrency = 10
    @Option(help: "Energy service: dc, dc-bpt, ac or ac-bpt.") var service: ServiceOption = .dc
    @Option(help: "Control mode: scheduled or dynamic.") var controlMode: ControlModeOption = .dynamic
    @Option(help: "Simulated seconds per real second (each vehicle's battery).") var timeFactor: Double = 600
    @Option(help: "Milliseconds between charge loop requests (at most 250, V2G_EVCC_Sequence_Performance_Time).") var loopInterval = 100
    @Option(help: "No new session after this many seconds.") var timeLimit: Double = 600
    @Option(help: "Seconds over which the first --concurrency sessions start (vehicles arriving), 0: all at once.") var rampUp: Double = 0
    @Option(help: "The SECC's process ID: its resident memory is sampled (idle, peak).") var seccPid: Int32?
    @OptionGroup var battery: BatteryOptions
    @OptionGroup var ac: ACOptions
    @Option(help: "Seconds a SIGTERM or SIGINT gives the running sessions to end in order (no new ones start) before their connections are closed.")
    var shutdownGrace: Double = 5

    func validate() throws {
        guard sessions > 0, concurrency > 0 else { throw ValidationError("--sessions and --concurrency must be positive") }
        guard !host.isEmpty else { throw ValidationError("--host is required") }
    }

    func run() async throws {
        let threads = System.coreCount
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        let security = try peer.security(.evcc)
        var session = EVCCConfiguration(evccID: "WMIV1234567890ABCDEX", preferredService: service.serviceID, controlMode: controlMode.mode)
        session.policy.chargeLoopInterval = .milliseconds(loopInterval)
        // Each session's messages would be thousands of lines: warnings and errors only, unless asked.
        let logger = { var l = Logger(label: "v2g.load") { _ in LineLogHandler(role: "LOAD") }; l.logLevel = peer.logLevel == .info ? .warning : peer.logLevel; return l }()
        let (battery, acLimits, onBoardCharger, timeFactor, bidirectional) = (battery.battery, ac.acLimits, ac.onBoardCharger, timeFactor, service.isBidirectional)
        let configuration = LoadRun.Configuration(
            client: .init(session: session, host: host, port: port, security: security),
            sessions: sessions, concurrency: concurrency, timeLimit: .seconds(timeLimit), rampUp: .seconds(rampUp)) { _ in
                SimulatedEV(plant: SimulatedPlant(battery: battery, acLimits: acLimits, onBoardCharger: onBoardCharger, timeFactor: timeFactor),
                            discharge: bidirectional, followsReportedOutput: true)
            }
        let memory = seccPid.map { ProcessMemory(pid: $0) }
        memory?.sample()
        let sampling = Task {
            while !Task.isCancelled {
                memory?.sample()
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
        let tenths = NIOLockedValueBox(0)
        let total = sessions
        // SIGTERM and SIGINT: no new session; those running end in order within the grace time.
        let (report, stopped) = try await VehicleLifecycle.run(grace: .seconds(shutdownGrace), logger: logger) { stop in
            var configuration = configuration
            configuration.client.stop = stop
            return await LoadRun.run(group: group, configuration: configuration, logger: logger) { report in
                let done = report.completed + report.failures.values.reduce(0, +)
                let tenth = done * 10 / total
                if tenths.withLockedValue({ seen in defer { seen = max(seen, tenth) }; return tenth > seen }) {
                    print("… \(done) of \(total) sessions")
                }
            }
        }
        sampling.cancel()
        memory?.sample()
        print(report)
        if let memory { print(memory.summary(concurrent: report.peakConcurrency)) }
        try await group.shutdownGracefully()
        if stopped { print("shut down: \(report.completed) sessions completed, \(report.notStarted) not started") }
        // After a signal: sessions cut at the grace's end are no failure; anything else is.
        let failed = report.failures.filter { !(stopped && $0.key == "\(SessionEnd.Reason.shutdown)") }
        if !failed.isEmpty || (report.completed < sessions && !stopped) { throw ExitCode(1) }
    }
}
