import V2GCapture
import V2GSession

/// A capture read for V2G: its frames decoded (`TraceEntry`) and, in order beside them, what got
/// in the way (gaps, bytes that are not V2GTP, TLS without keys, fragments). Push the capture's
/// records in (`add`), then `finish`. Memory grows with the number of V2G frames, not with the
/// capture's size (`streamFrames` hands each on instead of keeping it).
public struct Trace: Sendable {
    public private(set) var entries: [TraceEntry] = []
    public private(set) var notes: [TraceNote] = []
    /// NSS key-log lines from pcapng Decryption Secrets Blocks.
    public private(set) var secrets: [[UInt8]] = []
    private var reader = V2GCaptureReader()
    private var frames = 0
    /// Whether entries are kept (false: `add` returns them and forgets them).
    private let keep: Bool

    public init(keepEntries: Bool = true) { keep = keepEntries }

    public var packets: Int { reader.packets }

    /// Adds one record of the capture; returns the frames it completed.
    @discardableResult
    public mutating func add(_ record: CaptureRecord) -> [TraceEntry] {
        handle(reader.record(record))
    }

    /// The capture ended.
    @discardableResult
    public mutating func finish() -> [TraceEntry] {
        handle(reader.finish())
    }

    private mutating func handle(_ events: [CaptureEvent]) -> [TraceEntry] {
        var new: [TraceEntry] = []
        for event in events {
            switch event {
            case .frame(let captured):
                let entry = TraceEntry(index: frames, captured)
                frames += 1
                new.append(entry)
                if let error = entry.error {
                    notes.append(TraceNote(time: entry.time, packet: captured.packet, text: "frame \(entry.index) (\(entry.name)) does not decode: \(error)"))
                }
            case .secrets(let type, let data):
                if type == 0x544C_534B { secrets.append(data) }
            case .connectionOpened, .connectionClosed:
                break
            case .gap(let source, let destination, let missing, let time, let packet):
                notes.append(TraceNote(time: time, packet: packet, text: "TCP gap: \(missing) bytes from \(source) to \(destination) are missing from the capture"))
            case .retransmission:
                break
            case .notV2GTP(let source, let destination, let bytes, let first, let packet):
                notes.append(TraceNote(time: nil, packet: packet, text: "\(bytes) bytes from \(source) to \(destination) are not V2GTP (\(first.map { String(format2: $0) }.joined()))"))
            case .tls(let client, let server, let time):
                notes.append(TraceNote(time: time, packet: nil, text: "TLS between \(client) and \(server): the session is encrypted (give the key log to decode it)"))
            case .truncatedFrame(let source, let destination, let bytes):
                notes.append(TraceNote(time: nil, packet: nil, text: "the capture ends inside a frame from \(source) to \(destination) (\(bytes) bytes)"))
            case .skipped(let packet, let reason):
                notes.append(TraceNote(time: nil, packet: packet, text: "packet \(packet) skipped: \(reason)"))
            }
        }
        if keep { entries += new }
        return new
    }
}

/// Something a trace reports beside the frames.
public struct TraceNote: Sendable, Hashable {
    public var time: Int64?
    public var packet: Int?
    public var text: String
}

extension String {
    /// Two lower-case hex digits.
    init(format2 byte: UInt8) {
        let digits = Array("0123456789abcdef")
        self = String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}
