import V2GTP

/// SECC Discovery Protocol messages (PROTOCOL-NOTES §3): UDP port 15118, V2GTP payload types
/// 0x9000–0x9003.
public enum SDPSecurity: UInt8, Sendable, CaseIterable {
    case tls = 0x00
    case none = 0x10
}

public enum SDPTransport: UInt8, Sendable, CaseIterable {
    case tcp = 0x00
    /// Reserved; V2G messages do not run over UDP.
    case udp = 0x10
}

public enum SDPError: Error, Sendable, Equatable, CustomStringConvertible {
    case frame(V2GTPError)
    case wrongPayloadType(UInt16)
    case wrongLength(expected: Int, actual: Int)
    case invalidSecurity(UInt8)
    case invalidTransport(UInt8)

    public var description: String {
        switch self {
        case .frame(let e): return "SDP frame: \(e)"
        case .wrongPayloadType(let t): return "payload type 0x\(String(t, radix: 16)) is not an SDP message here"
        case .wrongLength(let e, let a): return "SDP payload of \(a) bytes, expected \(e)"
        case .invalidSecurity(let v): return "SDP security byte 0x\(String(v, radix: 16)) (expected 0x00 TLS or 0x10 none)"
        case .invalidTransport(let v): return "SDP transport byte 0x\(String(v, radix: 16)) (expected 0x00 TCP or 0x10 UDP)"
        }
    }
}

/// Reads the payload of a frame of `type` with exactly `length` bytes.
func sdpPayload(_ bytes: [UInt8], type: UInt16, length: Int) throws(SDPError) -> [UInt8] {
    let frame: V2GTPFrame
    do { frame = try V2GTPFrame(parsing: bytes, maximumPayload: 1024) } catch { throw .frame(error) }
    guard frame.payloadType == type else { throw .wrongPayloadType(frame.payloadType) }
    guard frame.payload.count == length else { throw .wrongLength(expected: length, actual: frame.payload.count) }
    return frame.payload
}

func parseSecurity(_ b: UInt8) throws(SDPError) -> SDPSecurity {
    guard let s = SDPSecurity(rawValue: b) else { throw .invalidSecurity(b) }
    return s
}

func parseTransport(_ b: UInt8) throws(SDPError) -> SDPTransport {
    guard let t = SDPTransport(rawValue: b) else { throw .invalidTransport(b) }
    return t
}

/// EVCC → SECC (0x9000): the security and transport the EVCC asks for.
public struct SDPRequest: Sendable, Hashable {
    public static let payloadType = V2GTPPayloadType.sdpRequest.rawValue
    public var security: SDPSecurity
    public var transport: SDPTransport

    public init(security: SDPSecurity, transport: SDPTransport = .tcp) {
        self.security = security
        self.transport = transport
    }

    public var frame: [UInt8] { V2GTPFrame(payloadType: Self.payloadType, payload: [security.rawValue, transport.rawValue]).bytes }

    public init(frame bytes: [UInt8]) throws(SDPError) {
        let p = try sdpPayload(bytes, type: Self.payloadType, length: 2)
        self.init(security: try parseSecurity(p[0]), transport: try parseTransport(p[1]))
    }
}

/// SECC → EVCC (0x9001): where the SECC's TCP/TLS server listens.
public struct SDPResponse: Sendable, Hashable {
    public static let payloadType = V2GTPPayloadType.sdpResponse.rawValue
    /// The SECC's IPv6 address (16 bytes).
    public var address: [UInt8]
    public var port: UInt16
    public var security: SDPSecurity
    public var transport: SDPTransport

    public init(address: [UInt8], port: UInt16, security: SDPSecurity, transport: SDPTransport = .tcp) {
        self.address = address
        self.port = port
        self.security = security
        self.transport = transport
    }

    public var frame: [UInt8] {
        V2GTPFrame(payloadType: Self.payloadType,
                   payload: address + [UInt8(port >> 8), UInt8(port & 0xFF), security.rawValue, transport.rawValue]).bytes
    }

    public init(frame bytes: [UInt8]) throws(SDPError) {
        let p = try sdpPayload(bytes, type: Self.payloadType, length: 20)
        self.init(address: Array(p[0..<16]), port: UInt16(p[16]) << 8 | UInt16(p[17]),
                  security: try parseSecurity(p[18]), transport: try parseTransport(p[19]))
    }

    /// The address in RFC 5952 text form (`fe80::d268:d455:802a:22b6`).
    public var addressText: String { IPv6Text.format(address) }
}

/// Wireless SDP request (0x9002), for WPT and ACDP (layout per dsV2Gshark, PROTOCOL-NOTES §3).
public struct SDPRequestWireless: Sendable, Hashable {
    public static let payloadType = V2GTPPayloadType.sdpRequestWireless.rawValue
    public var security: SDPSecurity
    public var transport: SDPTransport
    /// Positioning and pairing capabilities (bitmask).
    public var flags: UInt16
    public var couplingType: UInt8
    /// 20 ASCII characters, space padded.
    public var evID: String
    /// 36 ASCII characters, space padded.
    public var evseID: String

    public init(security: SDPSecurity, transport: SDPTransport = .tcp, flags: UInt16, couplingType: UInt8, evID: String, evseID: String) {
        self.security = security; self.transport = transport; self.flags = flags
        self.couplingType = couplingType; self.evID = evID; self.evseID = evseID
    }

    public var frame: [UInt8] {
        let payload = [security.rawValue, transport.rawValue, UInt8(flags >> 8), UInt8(flags & 0xFF), couplingType]
            + FixedASCII.encode(evID, length: 20) + FixedASCII.encode(evseID, length: 36)
        return V2GTPFrame(payloadType: Self.payloadType, payload: payload).bytes
    }

    public init(frame bytes: [UInt8]) throws(SDPError) {
        let p = try sdpPayload(bytes, type: Self.payloadType, length: 61)
        self.init(security: try parseSecurity(p[0]), transport: try parseTransport(p[1]), flags: UInt16(p[2]) << 8 | UInt16(p[3]),
                  couplingType: p[4], evID: FixedASCII.decode(p[5..<25]), evseID: FixedASCII.decode(p[25..<61]))
    }
}

/// Wireless SDP response (0x9003).
public struct SDPResponseWireless: Sendable, Hashable {
    public static let payloadType = V2GTPPayloadType.sdpResponseWireless.rawValue
    public var address: [UInt8]
    public var port: UInt16
    public var security: SDPSecurity
    public var transport: SDPTransport
    /// 0x00 ongoing, 0x01 finished with EVSEID, 0x02 finished without, 0x10 error (no SECC).
    public var diagnosticStatus: UInt8
    public var couplingType: UInt8
    public var evseID: String

    public init(address: [UInt8], port: UInt16, security: SDPSecurity, transport: SDPTransport = .tcp,
                diagnosticStatus: UInt8, couplingType: UInt8, evseID: String) {
        self.address = address; self.port = port; self.security = security; self.transport = transport
        self.diagnosticStatus = diagnosticStatus; self.couplingType = couplingType; self.evseID = evseID
    }

    public var frame: [UInt8] {
        let payload = address + [UInt8(port >> 8), UInt8(port & 0xFF), security.rawValue, transport.rawValue,
                                 diagnosticStatus, couplingType] + FixedASCII.encode(evseID, length: 36)
        return V2GTPFrame(payloadType: Self.payloadType, payload: payload).bytes
    }

    public init(frame bytes: [UInt8]) throws(SDPError) {
        let p = try sdpPayload(bytes, type: Self.payloadType, length: 58)
        self.init(address: Array(p[0..<16]), port: UInt16(p[16]) << 8 | UInt16(p[17]), security: try parseSecurity(p[18]),
                  transport: try parseTransport(p[19]), diagnosticStatus: p[20], couplingType: p[21], evseID: FixedASCII.decode(p[22..<58]))
    }
}

enum FixedASCII {
    static func encode(_ s: String, length: Int) -> [UInt8] {
        let bytes = Array(s.utf8.filter { $0 < 0x80 }.prefix(length))
        return bytes + [UInt8](repeating: 0x20, count: length - bytes.count)
    }

    static func decode(_ b: ArraySlice<UInt8>) -> String {
        String(decoding: b.map { $0 < 0x80 ? $0 : 0x3F }, as: UTF8.self).trimmingTrailingPadding()
    }
}

extension String {
    func trimmingTrailingPadding() -> String {
        var s = Substring(self)
        while let last = s.last, last == " " || last == "\0" { s = s.dropLast() }
        return String(s)
    }
}

/// RFC 5952 text form of an IPv6 address.
public enum IPv6Text {
    public static func format(_ a: [UInt8]) -> String {
        guard a.count == 16 else { return "" }
        let groups = (0..<8).map { UInt16(a[2 * $0]) << 8 | UInt16(a[2 * $0 + 1]) }
        // Longest run of two or more zero groups becomes "::".
        var best = (start: -1, length: 0)
        var i = 0
        while i < 8 {
            if groups[i] == 0 {
                var j = i
                while j < 8 && groups[j] == 0 { j += 1 }
                if j - i > best.length && j - i >= 2 { best = (i, j - i) }
                i = j
            } else { i += 1 }
        }
        func hex(_ r: Range<Int>) -> String { r.map { String(groups[$0], radix: 16) }.joined(separator: ":") }
        if best.start < 0 { return hex(0..<8) }
        return hex(0..<best.start) + "::" + hex((best.start + best.length)..<8)
    }
}
