import NIOCore
import V2GSession

/// The engine's timers on a connection's event loop: the runtime starts, restarts and cancels
/// them as the engine's actions say, and reports each expiry back to the engine. It decides
/// nothing itself.
final class SessionTimers {
    private var scheduled: [SessionTimer: Scheduled<Void>] = [:]

    /// (Re)starts `timer`; `expired` runs on `loop` unless it is cancelled or restarted first.
    func start(_ timer: SessionTimer, _ duration: Duration, on loop: EventLoop, expired: @escaping @Sendable () -> Void) {
        scheduled[timer]?.cancel()
        let (seconds, attoseconds) = duration.components
        let amount = TimeAmount.nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        scheduled[timer] = loop.scheduleTask(in: amount, expired)
    }

    func cancel(_ timer: SessionTimer) {
        scheduled.removeValue(forKey: timer)?.cancel()
    }

    func cancelAll() {
        for t in scheduled.values { t.cancel() }
        scheduled = [:]
    }
}
