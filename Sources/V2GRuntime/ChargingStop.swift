import NIOConcurrencyHelpers

/// Asks running EVCC sessions to end in order, as a process does on SIGTERM or SIGINT: from the
/// next request on, the vehicle reports its charging complete. In the charge loop that ends the
/// session the way the standard ends it (PowerDelivery(Stop), welding detection where DC,
/// SessionStop(Terminate)); before power flows the vehicle sends SessionStop(Terminate) in place of
/// its next step towards power. Whoever asked bounds the wait and then cancels: a cancelled
/// `EVCCClient.run` ends its session as shut down and closes the connection. One stop serves any
/// number of sessions (`v2g load`).
public final class ChargingStop: Sendable {
    private let requested = NIOLockedValueBox(false)

    public init() {}

    public func request() { requested.withLockedValue { $0 = true } }

    public var isRequested: Bool { requested.withLockedValue { $0 } }
}
