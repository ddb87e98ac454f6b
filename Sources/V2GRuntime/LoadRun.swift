import Foundation
import Histogram
import Logging
import NIOCore
import V2GSession

/// Many EVCC sessions from one process against one SECC (`v2g load`): `sessions` whole sessions,
/// `concurrency` at a time, each on its own connection with its own simulated vehicle, bounded in
/// count and in time. What it measures is `LoadReport`.
public enum LoadRun {
    public struct Configuration: Sendable {
        /// Every session's client configuration (host, port, TLS, the EV's session settings).
        public var client: EVCCClient.Configuration
        public var sessions: Int
        public var concurrency: Int
        /// No session starts after this; those running are waited for.
        public var timeLimit: Duration
        /// The first `concurrency` sessions start spread over this time, as vehicles arrive at a
        /// charging park, rather than all in the same instant (zero: at once).
        public var rampUp: Duration
        /// A new vehicle for each session.
        public var makeController: @Sendable (Int) -> any EVController

        public init(client: EVCCClient.Configuration, sessions: Int, concurrency: Int, timeLimit: Duration = .seconds(600),
                    rampUp: Duration = .zero, makeController: @escaping @Sendable (Int) -> any EVController) {
            self.client = client; self.sessions = sessions; self.concurrency = max(1, concurrency); self.timeLimit = timeLimit
            self.rampUp = rampUp
            self.makeController = makeController
        }
    }

    /// Runs the sessions; `progress` hears each result as it comes.
    public static func run(group: EventLoopGroup, configuration: Configuration, logger: Logger = Logger(label: "v2g.load"),
                           progress: @escaping @Sendable (LoadReport) -> Void = { _ in }) async -> LoadReport {
        var report = LoadReport()
        let started = ContinuousClock.now
        let deadline = started + configuration.timeLimit
        await withTaskGroup(of: Result<SessionResult, any Error>.self) { tasks in
            var next = 0
            func startOne() {
                let index = next
                next += 1
                tasks.addTask {
                    do {
                        return .success(try await EVCCClient.run(group: group, configuration: configuration.client,
                                                                 controller: configuration.makeController(index), logger: logger))
                    } catch {
                        return .failure(error)
                    }
                }
            }
            let initial = min(configuration.concurrency, configuration.sessions)
            let spacing = configuration.rampUp / initial
            while next < initial, configuration.client.stop?.isRequested != true {
                if next > 0, spacing > .zero { try? await Task.sleep(until: started + spacing * next) }
                startOne()
            }
            report.peakConcurrency = next
            for await result in tasks {
                report.add(result)
                report.wall = ContinuousClock.now - started
                progress(report)
                // A stop (`client.stop`: SIGTERM) starts no more; those running end in order.
                if next < configuration.sessions, ContinuousClock.now < deadline, configuration.client.stop?.isRequested != true { startOne() }
            }
        }
        report.wall = ContinuousClock.now - started
        report.notStarted = configuration.sessions - report.completed - report.failures.values.reduce(0, +)
        return report
    }
}

/// What `v2g load` measured: sessions per second, the TLS handshakes and the charge loop's
/// turnaround (request out to response in, as the EV sees it) as HDR histograms in microseconds,
/// and the failures by reason.
public struct LoadReport: Sendable, CustomStringConvertible {
    /// Sessions that ended with SessionStop(Terminate).
    public var completed = 0
    /// Sessions that ended otherwise, or never began, by reason.
    public var failures: [String: Int] = [:]
    public var notStarted = 0
    public var peakConcurrency = 0
    public var wall: Duration = .zero
    public var messages = 0
    public var handshakes = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
    public var turnarounds = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)

    public init() {}

    mutating func add(_ result: Result<SessionResult, any Error>) {
        switch result {
        case .success(let session):
            messages += session.messages
            if let handshake = session.handshake { handshakes.record(Self.microseconds(handshake)) }
            for turnaround in session.chargeLoopTurnarounds { turnarounds.record(Self.microseconds(turnaround)) }
            if session.end.reason == .terminated { completed += 1 } else { failures["\(session.end.reason)", default: 0] += 1 }
        case .failure(let error):
            failures["\(error)", default: 0] += 1
        }
    }

    static func microseconds(_ d: Duration) -> UInt64 {
        UInt64(max(0, d.components.seconds)) * 1_000_000 + UInt64(max(0, d.components.attoseconds)) / 1_000_000_000_000
    }

    public var sessionsPerSecond: Double {
        let seconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
        return seconds > 0 ? Double(completed) / seconds : 0
    }

    /// "p50 1.2 ms, p99 3.4 ms, p99.9 5.6 ms, max 7.8 ms over N".
    static func percentiles(_ h: Histogram<UInt64>) -> String {
        guard h.totalCount > 0 else { return "none" }
        func ms(_ us: UInt64) -> String { (Double(us) / 1000).formatted(.number.precision(.fractionLength(2))) + " ms" }
        return "p50 \(ms(h.valueAtPercentile(50))), p99 \(ms(h.valueAtPercentile(99))), p99.9 \(ms(h.valueAtPercentile(99.9))), max \(ms(h.max)) over \(h.totalCount)"
    }

    public var description: String {
        var lines = [
            "sessions: \(completed) completed, \(failures.values.reduce(0, +)) failed\(notStarted > 0 ? ", \(notStarted) not started (time limit or stop)" : "") in \(wall.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 1)))); \(sessionsPerSecond.formatted(.number.precision(.fractionLength(1)))) sessions/s, \(peakConcurrency) at a time, \(messages) messages",
            "TLS handshake (connect to handshake end): \(Self.percentiles(handshakes))",
            "charge loop turnaround (EV request out to response in): \(Self.percentiles(turnarounds))",
        ]
        for (reason, count) in failures.sorted(by: { $0.value > $1.value }) { lines.append("failed: \(count) × \(reason)") }
        return lines.joined(separator: "\n")
    }
}
