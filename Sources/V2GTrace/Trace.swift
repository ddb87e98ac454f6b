import EXI
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
    /// The key log: given, and from the capture's Decryption Secrets Blocks.
    public private(set) var keyLog: NSSKeyLog
    private var tls: [Set<Endpoint>: TLSState] = [:]
    private var checker = TraceChecker()
    /// What the checks against ISO 15118-20 found (`TraceChecker`); complete after `finish`.
    public var findings: [TraceFinding] { checker.findings }
    /// Findings past the first `TraceChecker.maximumFindings`, counted only.
    public var suppressedFindings: Int { checker.suppressedFindings }
    private var tlsOrder: [Set<Endpoint>] = []
    /// TLS sessions whose connection closed: their summaries (the decryptors are gone).
    private var closedTLS: [TLSSessionSummary] = []
    /// Notes past `maximumNotes` are counted, not kept.
    public static let maximumNotes = 1000
    public private(set) var suppressedNotes = 0

    private struct TLSState: Sendable {
        var connection = TLS13Connection()
        var client: Endpoint
        var server: Endpoint
        var framers = [true: V2GTPStreamFramer(), false: V2GTPStreamFramer()]
        var frames = 0
        /// When its first record was captured: the certificates' validity is judged then.
        var started: Int64?

        var summary: TLSSessionSummary {
            TLSSessionSummary(client: client, server: server, handshake: connection.handshake, frames: frames, time: started)
        }
    }

    /// `keyLog`: the TLS secrets (NSS key log) to decrypt TLS 1.3 sessions with.
    public init(keyLog: NSSKeyLog = NSSKeyLog(), keepEntries: Bool = true) {
        self.keyLog = keyLog
        keep = keepEntries
    }

    /// What each TLS connection's handshake showed, in the order they began.
    public var tlsSessions: [TLSSessionSummary] {
        closedTLS + tlsOrder.compactMap { tls[$0]?.summary }
    }

    public var packets: Int { reader.packets }

    /// Adds one record of the capture; returns the frames it completed.
    @discardableResult
    public mutating func add(_ record: CaptureRecord) -> [TraceEntry] {
        handle(reader.record(record))
    }

    /// The capture ended.
    @discardableResult
    public mutating func finish() -> [TraceEntry] {
        let last = handle(reader.finish())
        checker.finish(tls: tlsSessions)
        return last
    }

    private mutating func note(_ n: TraceNote) {
        if notes.count < Self.maximumNotes { notes.append(n) } else { suppressedNotes += 1 }
    }

    private mutating func handle(_ events: [CaptureEvent]) -> [TraceEntry] {
        var new: [TraceEntry] = []
        for event in events {
            switch event {
            case .frame(let captured):
                let entry = TraceEntry(index: frames, captured)
                frames += 1
                new.append(entry)
                checker.add(entry, encrypted: false)
                if let error = entry.error {
                    note(TraceNote(time: entry.time, packet: captured.packet, text: "frame \(entry.index) (\(entry.name)) does not decode: \(error)"))
                }
            case .secrets(let type, let data):
                if type == 0x544C_534B {
                    secrets.append(data)
                    keyLog.add(String(decoding: data, as: UTF8.self))
                }
            case .connectionOpened:
                break
            case .connectionClosed(let client, let server, _, _):
                // Keep what the handshake showed; drop the decryptor and its buffers.
                let key: Set<Endpoint> = [client, server]
                if let state = tls[key] {
                    closedTLS.append(state.summary)
                    tls[key] = nil
                    tlsOrder.removeAll { $0 == key }
                }
                checker.closed(key)
            case .gap(let source, let destination, let missing, let time, let packet):
                note(TraceNote(time: time, packet: packet, text: "TCP gap: \(missing) bytes from \(source) to \(destination) are missing from the capture"))
                let key: Set<Endpoint> = [source, destination]
                if var state = tls[key] {
                    for output in state.connection.gap(fromClient: source == state.client) { if case .note(let text) = output { note(TraceNote(time: time, packet: packet, text: text)) } }
                    tls[key] = state
                }
            case .retransmission:
                break
            case .notV2GTP(let source, let destination, let bytes, let first, let packet):
                note(TraceNote(time: nil, packet: packet, text: "\(bytes) bytes from \(source) to \(destination) are not V2GTP (\(Hex.encode(first, uppercase: false)))"))
            case .tls(let client, let server, _):
                let key: Set<Endpoint> = [client, server]
                if tls[key] == nil { tls[key] = TLSState(client: client, server: server); tlsOrder.append(key) }
            case .tlsData(let client, let server, let fromClient, let bytes, let time, let packet):
                let key: Set<Endpoint> = [client, server]
                var state = tls[key] ?? TLSState(client: client, server: server)
                if tls[key] == nil { tlsOrder.append(key) }
                if state.started == nil { state.started = time }
                for output in state.connection.feed(fromClient: fromClient, bytes, keys: keyLog) {
                    switch output {
                    case .note(let text):
                        note(TraceNote(time: time, packet: packet, text: "TLS \(client) ↔ \(server): \(text)"))
                    case .applicationData(let fromClient, let content):
                        for event in state.framers[fromClient, default: V2GTPStreamFramer()].append(content) {
                            switch event {
                            case .frame(let frame, _):
                                let (source, destination) = fromClient ? (client, server) : (server, client)
                                let captured = CapturedFrame(time: time, packet: packet, transport: .tcp, source: source, destination: destination,
                                                             from: fromClient ? .evcc : .secc, frame: frame)
                                let entry = TraceEntry(index: frames, captured)
                                frames += 1
                                state.frames += 1
                                new.append(entry)
                                checker.add(entry, encrypted: true)
                                if let error = entry.error {
                                    note(TraceNote(time: entry.time, packet: packet, text: "frame \(entry.index) (\(entry.name)) does not decode: \(error)"))
                                }
                            case .notV2GTP(_, let count, _):
                                note(TraceNote(time: time, packet: packet, text: "\(count) decrypted bytes are not V2GTP"))
                            case .tls:
                                note(TraceNote(time: time, packet: packet, text: "TLS inside TLS: not decoded"))
                            }
                        }
                    }
                }
                tls[key] = state
            case .truncatedFrame(let source, let destination, let bytes):
                note(TraceNote(time: nil, packet: nil, text: "the capture ends inside a frame from \(source) to \(destination) (\(bytes) bytes)"))
            case .skipped(let packet, let reason):
                note(TraceNote(time: nil, packet: packet, text: "packet \(packet) skipped: \(reason)"))
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
