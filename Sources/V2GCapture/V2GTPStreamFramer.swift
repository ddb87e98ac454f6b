import V2GTP

/// V2GTP frames out of one direction's byte stream: a frame split over segments waits for its
/// rest, several in one segment come out one by one. Bytes that are not a V2GTP header are
/// reported; the framer then looks for the next plausible header (01 FE, a -20 or SDP payload
/// type, a bounded length), so one bad stretch (after a gap, say) does not lose the rest. A stream
/// that begins with a TLS record is reported as TLS and not framed (it needs the keys).
public struct V2GTPStreamFramer: Sendable {
    public static let maximumPayload: UInt32 = 1 << 20

    public enum Event: Sendable, Hashable {
        /// A frame, and where in the stream it began.
        case frame(V2GTPFrame, offset: Int)
        /// Bytes skipped because no V2GTP header stood there.
        case notV2GTP(offset: Int, bytes: Int, first: [UInt8])
        /// The stream is TLS: a record header where the first frame was due.
        case tls
    }

    private var buffer: [UInt8] = []
    private var offset = 0
    public private(set) var isTLS = false

    public init() {}

    public mutating func append(_ bytes: [UInt8]) -> [Event] {
        guard !isTLS else { return [] }
        if offset == 0, buffer.isEmpty, bytes.count >= 3, bytes[0] == 0x16, bytes[1] == 0x03 {
            isTLS = true
            return [.tls]
        }
        buffer.append(contentsOf: bytes)
        var events: [Event] = []
        var at = 0
        while buffer.count - at >= 8 {
            if Self.plausibleHeader(buffer, at) {
                let length = Int(buffer.u32(at + 4)!)
                guard buffer.count - at >= 8 + length else { break }
                let frame = V2GTPFrame(payloadType: buffer.u16(at + 2)!, payload: Array(buffer[(at + 8)..<(at + 8 + length)]))
                events.append(.frame(frame, offset: offset + at))
                at += 8 + length
            } else {
                // Look for the next plausible header; keep the last 7 bytes, a header may straddle.
                var skip = at + 1
                while skip + 8 <= buffer.count, !Self.plausibleHeader(buffer, skip) { skip += 1 }
                if skip + 8 > buffer.count { skip = max(at + 1, buffer.count - 7) }
                events.append(.notV2GTP(offset: offset + at, bytes: skip - at, first: Array(buffer[at..<min(skip, at + 8)])))
                at = skip
            }
        }
        buffer.removeFirst(at)
        offset += at
        return events
    }

    /// After a gap the partial frame is lost: start afresh at the new bytes.
    public mutating func gap(_ missing: Int) {
        offset += buffer.count + missing
        buffer = []
    }

    /// Bytes left over at the end: a frame cut off by the end of the capture.
    public var leftover: Int { buffer.count }

    static func plausibleHeader(_ b: [UInt8], _ at: Int) -> Bool {
        guard b.u8(at) == 0x01, b.u8(at + 1) == 0xFE, let type = b.u16(at + 2), let length = b.u32(at + 4) else { return false }
        let known = (0x8001...0x8006).contains(type) || (0x8101...0x8104).contains(type) || (0x9000...0x9005).contains(type)
        return known && length <= maximumPayload
    }
}
