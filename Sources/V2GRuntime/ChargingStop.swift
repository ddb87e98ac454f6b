import NIOConcurrencyHelpers

/// Asks running EVCC sessions to end in order, as a process does on SIGTERM or SIGINT: from the
/// next request on, the vehicle reports its charging complete, so the charge loop ends the way
/// the standard ends it (PowerDelivery(Stop), welding detection where DC, SessionStop(Terminate)).
/// A session not yet in the loop goes on to it and ends there; whoever asked bounds the wait and
/// then cancels (`EVCCClient.run` closes the connection when its task is cancelled). One stop
/// serves any number of sessions (`v2g load`).
public final class ChargingStop: Sendable {
    private let requested = NIOLockedValueBox(false)

    public init() {}

    public func request() { requested.withLockedValue { $0 = true } }

    public var isRequested: Bool { requested.withLockedValue { $0 } }
}
