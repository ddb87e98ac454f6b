import EXI

/// The secrets of an NSS key log (SSLKEYLOGFILE format: `LABEL <client random hex> <secret hex>`
/// per line; `#` comments), by client random. TLS 1.3 needs the four traffic secrets.
public struct NSSKeyLog: Sendable {
    public struct Secrets: Sendable, Hashable {
        public var clientHandshake: [UInt8]?
        public var serverHandshake: [UInt8]?
        public var clientApplication: [UInt8]?
        public var serverApplication: [UInt8]?
    }

    public private(set) var sessions: [[UInt8]: Secrets] = [:]
    /// Lines that are not key-log lines (reported, not fatal).
    public private(set) var unreadable = 0

    public init() {}

    public init(_ text: String) { add(text) }

    public mutating func add(_ text: String) {
        for line in text.split(whereSeparator: \.isNewline) {
            let fields = line.split(separator: " ")
            guard !line.hasPrefix("#") else { continue }
            guard fields.count == 3, let random = Hex.decode(String(fields[1])), random.count == 32, let secret = Hex.decode(String(fields[2])) else {
                unreadable += 1
                continue
            }
            var s = sessions[random] ?? Secrets()
            switch fields[0] {
            case "CLIENT_HANDSHAKE_TRAFFIC_SECRET": s.clientHandshake = secret
            case "SERVER_HANDSHAKE_TRAFFIC_SECRET": s.serverHandshake = secret
            case "CLIENT_TRAFFIC_SECRET_0": s.clientApplication = secret
            case "SERVER_TRAFFIC_SECRET_0": s.serverApplication = secret
            default: break  // exporter, early data, TLS 1.2 CLIENT_RANDOM: not needed here
            }
            sessions[random] = s
        }
    }
}
