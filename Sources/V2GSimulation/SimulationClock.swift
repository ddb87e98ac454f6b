import NIOConcurrencyHelpers

/// Where simulated time comes from. The plant reads nothing else: on a real run it follows the
/// monotonic clock from its creation; in tests a manual clock is advanced by hand, so whole
/// simulated sessions run in milliseconds.
public final class SimulationClock: Sendable {
    private enum Source { case realTime(ContinuousClock.Instant), manual }
    private let source: Source
    private let manualNow = NIOLockedValueBox(Duration.zero)

    private init(_ source: Source) { self.source = source }

    /// Real time since now.
    public static func realTime() -> SimulationClock { SimulationClock(.realTime(.now)) }
    /// Time that stands still until `advance(by:)`.
    public static func manual() -> SimulationClock { SimulationClock(.manual) }

    /// Time since the clock started.
    public var now: Duration {
        switch source {
        case .realTime(let start): return ContinuousClock.now - start
        case .manual: return manualNow.withLockedValue { $0 }
        }
    }

    /// Moves a manual clock on (a real-time clock ignores it).
    public func advance(by duration: Duration) {
        guard case .manual = source else { return }
        manualNow.withLockedValue { $0 += duration }
    }
}
