/// The vehicle as the EVCC sees it: battery management and power path. The runtime calls it on
/// the connection's event loop; it must not block.
public protocol EVController: AnyObject, Sendable {
    /// What the EV reports now (`timestamp`: seconds since the Unix epoch, for headers).
    func inputs(timestamp: UInt64) -> EVInputs
    /// Carry out a command of the state machine.
    func perform(_ command: EVCommand)
    /// The session ended, however it ended.
    func sessionEnded(_ end: SessionEnd)
    /// The charger's price schedules came signed: whether the signature and its signer's chain
    /// check out (`signer`: the signing certificate's name), or why not. By default ignored.
    func priceSchedulesChecked(_ result: Result<String, PriceScheduleRefusal>)
    /// The charger accepted these value-added services (Internet on a protocol and port,
    /// parking status) for the session. By default ignored.
    func valueAddedServicesSelected(_ services: [SelectedValueAddedService])
}

/// Why signed price schedules were not accepted.
public struct PriceScheduleRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension EVController {
    public func priceSchedulesChecked(_ result: Result<String, PriceScheduleRefusal>) {}
    public func valueAddedServicesSelected(_ services: [SelectedValueAddedService]) {}
}
