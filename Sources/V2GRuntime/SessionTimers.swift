import NIOCore
import V2GSession

/// The engine's timers on a connection's event loop: the runtime starts, restarts and cancels
/// them as the engine's actions say, and reports each expiry back to the engine. It decides
/// nothing itself.
final class SessionTimers {
    private var scheduled: [SessionTimer: Scheduled<Void>] = [:]
    /// The longest any timer may run (`SECCServer.Configuration.timerCap`); nil: as the engine says.
    private let cap: Duration?

    init(cap: Duration? = nil) { self.cap = cap }

    /// (Re)starts `timer`; unless it is cancelled or restarted first, `expired` runs on the
    /// connection's event loop with the handler and its context.
    func start<Handler: AnyObject>(_ timer: SessionTimer, _ duration: Duration, handler: Handler, context: ChannelHandlerContext,
                                   expired: @escaping (Handler, ChannelHandlerContext) -> Void) {
        scheduled[timer]?.cancel()
        let (seconds, attoseconds) = min(duration, cap ?? duration).components
        let amount = TimeAmount.nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        let bound = NIOLoopBound((handler, context, expired), eventLoop: context.eventLoop)
        scheduled[timer] = context.eventLoop.scheduleTask(in: amount) {
            let (handler, context, expired) = bound.value
            expired(handler, context)
        }
    }

    func cancel(_ timer: SessionTimer) {
        scheduled.removeValue(forKey: timer)?.cancel()
    }

    func cancelAll() {
        for t in scheduled.values { t.cancel() }
        scheduled = [:]
    }
}
