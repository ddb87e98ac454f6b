import EXI
import NIOCore
import V2GSession

/// What a charger does for the value-added services an EV selected: opens a route for the car's
/// address to the Internet on the agreed protocol and port, records a parked vehicle. The SECC
/// runtime calls it on the connection's event loop; it must not block (hand long work to a task).
public protocol ValueAddedServiceProvider: Sendable {
    /// The EV at `peer` selected `services` in the session `sessionID` (empty: none any more,
    /// after a renegotiation): provide them from now on.
    func provide(_ services: [SelectedValueAddedService], sessionID: ShortBinary, peer: SocketAddress?)
    /// The session ended, however it ended: withdraw what was provided for it.
    func withdraw(sessionID: ShortBinary)
}
