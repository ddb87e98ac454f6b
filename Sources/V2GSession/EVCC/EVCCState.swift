/// Where the EVCC is: the request it waits for the answer to.
public enum EVCCState: Sendable, Hashable, CustomStringConvertible {
    case idle
    /// The request of this kind is sent (or paced, about to be) and its response awaited.
    case awaiting(MessageKind)
    case ended

    public var description: String {
        switch self {
        case .idle: return "idle"
        case .awaiting(let kind): return "awaiting the answer to \(kind)"
        case .ended: return "ended"
        }
    }
}
