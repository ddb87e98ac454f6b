/// Something a capture shows that breaks ISO 15118-20 (or comes close): the frame, its time,
/// the requirement, what happened.
public struct TraceFinding: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        /// Against a requirement: a conformant peer would have failed or stopped the session.
        case violation
        /// Allowed but worth a look (a WARNING response code, a performance time missed).
        case warning
    }

    public var severity: Severity
    /// Nanoseconds since the Unix epoch; nil for what concerns the whole capture.
    public var time: Int64?
    /// The frame's index in the trace.
    public var frame: Int?
    public var message: String?
    /// The requirement or rule: `[V2G20-…]`, or the table or profile it is stated in.
    public var requirement: String
    public var text: String
    /// The same finding again in later frames of the connection (a limit overrun holds for a
    /// whole loop): counted here rather than listed frame by frame.
    public var repeats = 0
    public var lastFrame: Int?

    public var description: String {
        let at = frame.map { "frame \($0)\(message.map { " \($0)" } ?? ""): " } ?? ""
        return "\(severity.rawValue): \(at)\(text) (\(requirement))\(again)"
    }

    /// "; 9 more times, the last in frame 58", or nothing.
    public var again: String {
        guard repeats > 0 else { return "" }
        return "; \(repeats) more time\(repeats == 1 ? "" : "s")\(lastFrame.map { ", the last in frame \($0)" } ?? "")"
    }
}
