import Benchmark
import Foundation
import Logging
import NIOCore
import NIOPosix
import V2GPKI
import V2GRuntime
import V2GSession
import V2GSimulation
import V2GTLS

/// 1,000 concurrent sessions against one SECC: our SECC runtime on one event-loop thread and
/// 1,000 of our EVCC runtimes on another, in this process, on loopback; TLS 1.3 with the -20
/// profile (P-521, the SECC stapling OCSP and the EVCC requiring it), DC Dynamic, a charge loop
/// every 100 ms, each battery 20 times faster than real, the vehicles arriving over 30 s. The
/// same run as `v2g load` against `v2g secc` (README, "Scale and hardening"), whose SECC has a
/// process of its own; here both sides share the two cores and the one process, so the memory
/// per session counts both sides and bounds the SECC's from above.
///
/// Metrics besides wall clock and peak memory: the charge loop's turnaround as the EVs see it
/// (p50, p99, p99.9 in µs), sessions that did not end with SessionStop(Terminate), and resident
/// memory per concurrent session beyond the idle process (KiB).
let benchmarks: @Sendable () -> Void = {
    let concurrent = Int(ProcessInfo.processInfo.environment["V2G_LOAD_SESSIONS"] ?? "") ?? 1_000
    let loopP50 = BenchmarkMetric.custom("loop p50 (µs)", polarity: .prefersSmaller, useScalingFactor: false)
    let loopP99 = BenchmarkMetric.custom("loop p99 (µs)", polarity: .prefersSmaller, useScalingFactor: false)
    let loopP999 = BenchmarkMetric.custom("loop p99.9 (µs)", polarity: .prefersSmaller, useScalingFactor: false)
    let failed = BenchmarkMetric.custom("failed sessions", polarity: .prefersSmaller, useScalingFactor: false)
    let perSession = BenchmarkMetric.custom("KiB per session (both sides)", polarity: .prefersSmaller, useScalingFactor: false)
    let handshakeP99 = BenchmarkMetric.custom("handshake p99 (µs)", polarity: .prefersSmaller, useScalingFactor: false)

    Benchmark("\(concurrent) concurrent TLS 1.3 DC sessions against one SECC",
              configuration: .init(metrics: [.wallClock, .peakMemoryResident, loopP50, loopP99, loopP999, handshakeP99, failed, perSession],
                                   timeUnits: .seconds, warmupIterations: 0, maxDuration: .seconds(600), maxIterations: 1)) { benchmark in
        let pki = try TestPKI()
        var seccProfile = TLSProfile(role: .secc, certificateChain: pki.seccChain, privateKey: pki.secc.privateKey,
                                     trustedRoots: [pki.oemRoot.certificate, pki.v2gRoot.certificate])
        seccProfile.ocspResponses = try pki.seccOCSPResponses()
        var evccProfile = TLSProfile(role: .evcc, certificateChain: pki.vehicleChain, privateKey: pki.vehicle.privateKey,
                                     trustedRoots: [pki.v2gRoot.certificate])
        evccProfile.ocspPolicy = .required
        // A line per message would be the benchmark: warnings only, as `v2g load` and `v2g secc --log-level notice` run.
        var seccLogger = Logger(label: "v2g.secc"), evccLogger = Logger(label: "v2g.load")
        seccLogger.logLevel = .warning
        evccLogger.logLevel = .warning
        let seccGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let evccGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let server = try await SECCServer.start(
            group: seccGroup,
            configuration: .init(session: SECCConfiguration(evseID: "DE*SWI*E1234567"), host: "127.0.0.1", port: 0, security: .tls(seccProfile)),
            controllers: { SimulatedEVSE(plant: SimulatedPlant(controlPilot: .c), followsReportedPower: true) }, logger: seccLogger)
        var session = EVCCConfiguration(evccID: "WMIV1234567890ABCDEX", controlMode: .dynamic)
        session.policy.chargeLoopInterval = .milliseconds(100)
        let memory = ProcessMemory()
        memory.sample()
        let sampling = Task {
            while !Task.isCancelled {
                memory.sample()
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
        benchmark.startMeasurement()
        let report = await LoadRun.run(group: evccGroup, configuration: LoadRun.Configuration(
            client: .init(session: session, host: "127.0.0.1", port: server.port, security: .tls(evccProfile)),
            sessions: concurrent, concurrency: concurrent, timeLimit: .seconds(600), rampUp: .seconds(30)) { _ in
                SimulatedEV(plant: SimulatedPlant(timeFactor: 20), followsReportedOutput: true)
            }, logger: evccLogger)
        benchmark.stopMeasurement()
        sampling.cancel()
        memory.sample()
        benchmark.measurement(loopP50, Int(report.turnarounds.valueAtPercentile(50)))
        benchmark.measurement(loopP99, Int(report.turnarounds.valueAtPercentile(99)))
        benchmark.measurement(loopP999, Int(report.turnarounds.valueAtPercentile(99.9)))
        benchmark.measurement(handshakeP99, Int(report.handshakes.valueAtPercentile(99)))
        benchmark.measurement(failed, concurrent - report.completed)
        benchmark.measurement(perSession, Int(memory.perSession(concurrent: report.peakConcurrency)))
        print(report)
        try await server.close()
        try await evccGroup.shutdownGracefully()
        try await seccGroup.shutdownGracefully()
    }
}
