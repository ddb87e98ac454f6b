/// One direction of a TCP connection put back in order: segments in, the byte stream out, with
/// what had to be done on the way. In-order data is passed on at once; a retransmission or the
/// already-seen part of an overlap is dropped; a segment from beyond a hole waits (at most
/// `maximumPending` bytes), and a hole that never fills is reported as a gap with its size, never
/// guessed at: the stream goes on after it.
public struct TCPStreamReassembler: Sendable {
    public static let maximumPending = 1 << 20

    public enum Event: Sendable, Hashable {
        case data([UInt8])
        /// Bytes that never arrived (the capture missed them, or the stream began before the capture).
        case gap(missing: Int)
        /// A segment wholly already delivered.
        case retransmission(bytes: Int)
    }

    /// The next sequence number expected; nil before the first segment.
    private var next: UInt32?
    /// Segments from beyond a hole, by sequence number.
    private var pending: [UInt32: [UInt8]] = [:]
    private var pendingBytes = 0
    public private(set) var finished = false

    public init() {}

    public mutating func segment(sequence: UInt32, flags: UInt8, payload: [UInt8]) -> [Event] {
        var events: [Event] = []
        var seq = sequence
        if flags & TransportSegment.syn != 0 {
            next = sequence &+ 1
            seq = sequence &+ 1
        } else if next == nil {
            next = sequence  // the capture began mid-stream: take it from here
        }
        if !payload.isEmpty { accept(seq, payload, &events) }
        if flags & (TransportSegment.fin | TransportSegment.rst) != 0 { finished = true }
        return events
    }

    /// The capture ended: what still waits beyond a hole is passed on after the gap.
    public mutating func flush() -> [Event] {
        var events: [Event] = []
        while let (seq, _) = lowestPending() { skipTo(seq, &events); drain(&events) }
        return events
    }

    private mutating func accept(_ seq: UInt32, _ payload: [UInt8], _ events: inout [Event]) {
        guard let expected = next else { return }
        let delta = Int(Int32(bitPattern: seq &- expected))
        if delta > 0 {
            // Beyond a hole: keep it (the longer of two at the same place) until the hole fills.
            if (pending[seq]?.count ?? -1) < payload.count {
                pendingBytes += payload.count - (pending[seq]?.count ?? 0)
                pending[seq] = payload
            }
            while pendingBytes > Self.maximumPending, let (lowest, _) = lowestPending() { skipTo(lowest, &events); drain(&events) }
            return
        }
        let fresh = payload.dropFirst(-delta)
        guard !fresh.isEmpty else { events.append(.retransmission(bytes: payload.count)); return }
        events.append(.data(Array(fresh)))
        next = expected &+ UInt32(fresh.count)
        drain(&events)
    }

    /// Passes on what waited and now follows on.
    private mutating func drain(_ events: inout [Event]) {
        while let expected = next, let (seq, data) = lowestPending(), Int32(bitPattern: seq &- expected) <= 0 {
            pending[seq] = nil
            pendingBytes -= data.count
            accept(seq, data, &events)
        }
    }

    private mutating func skipTo(_ seq: UInt32, _ events: inout [Event]) {
        guard let expected = next else { return }
        let missing = Int(Int32(bitPattern: seq &- expected))
        if missing > 0 { events.append(.gap(missing: missing)); next = seq }
    }

    /// The waiting segment nearest the expected sequence number.
    private func lowestPending() -> (UInt32, [UInt8])? {
        guard let expected = next else { return nil }
        return pending.min { Int32(bitPattern: $0.key &- expected) < Int32(bitPattern: $1.key &- expected) }.map { ($0.key, $0.value) }
    }
}
