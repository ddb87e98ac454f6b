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
            guard fields.count == 3, let random = Self.hex(fields[1]), random.count == 32, let secret = Self.hex(fields[2]) else {
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

    static func hex<S: StringProtocol>(_ text: S) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(text.count / 2)
        var high: UInt8?
        for c in text.utf8 {
            let v: UInt8
            switch c {
            case 0x30...0x39: v = c - 0x30
            case 0x61...0x66: v = c - 0x61 + 10
            case 0x41...0x46: v = c - 0x41 + 10
            default: return nil
            }
            if let h = high { out.append(h << 4 | v); high = nil } else { high = v }
        }
        return high == nil ? out : nil
    }
}
