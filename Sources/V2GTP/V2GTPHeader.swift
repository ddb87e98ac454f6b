/// The V2G Transfer Protocol header (PROTOCOL-NOTES §2): protocol version 0x01, its inverse 0xFE,
/// a 16-bit payload type and a 32-bit payload length, all big-endian; 8 bytes.
public struct V2GTPHeader: Sendable, Hashable {
    public static let size = 8
    public static let version: UInt8 = 0x01

    public var payloadType: UInt16
    public var payloadLength: UInt32

    public init(payloadType: UInt16, payloadLength: UInt32) {
        self.payloadType = payloadType
        self.payloadLength = payloadLength
    }

    public var bytes: [UInt8] {
        [Self.version, ~Self.version, UInt8(payloadType >> 8), UInt8(payloadType & 0xFF),
         UInt8(payloadLength >> 24), UInt8(payloadLength >> 16 & 0xFF), UInt8(payloadLength >> 8 & 0xFF), UInt8(payloadLength & 0xFF)]
    }

    /// Parses the header at the start of `bytes`. Does not look at the payload.
    public init(parsing bytes: [UInt8]) throws(V2GTPError) {
        guard bytes.count >= Self.size else { throw .truncatedHeader(bytes.count) }
        guard bytes[0] == Self.version else { throw .unsupportedVersion(bytes[0]) }
        guard bytes[1] == ~bytes[0] else { throw .inverseVersionMismatch(bytes[1]) }
        payloadType = UInt16(bytes[2]) << 8 | UInt16(bytes[3])
        payloadLength = UInt32(bytes[4]) << 24 | UInt32(bytes[5]) << 16 | UInt32(bytes[6]) << 8 | UInt32(bytes[7])
    }
}

public enum V2GTPError: Error, Sendable, Equatable, CustomStringConvertible {
    case truncatedHeader(Int)
    case unsupportedVersion(UInt8)
    case inverseVersionMismatch(UInt8)
    case unknownPayloadType(UInt16)
    case payloadTooLarge(length: UInt32, maximum: UInt32)
    case truncatedPayload(expected: UInt32, actual: Int)
    case trailingBytes(Int)

    /// The stream ended inside a frame: the peer closed mid-write, rather than sent something broken.
    public var isTruncation: Bool {
        switch self {
        case .truncatedHeader, .truncatedPayload: return true
        default: return false
        }
    }

    public var description: String {
        switch self {
        case .truncatedHeader(let n): return "V2GTP header needs 8 bytes, got \(n)"
        case .unsupportedVersion(let v): return "V2GTP protocol version 0x\(String(v, radix: 16)) (expected 0x01)"
        case .inverseVersionMismatch(let v): return "V2GTP inverse version 0x\(String(v, radix: 16)) (expected 0xfe)"
        case .unknownPayloadType(let t): return "unknown V2GTP payload type 0x\(String(t, radix: 16))"
        case .payloadTooLarge(let l, let m): return "V2GTP payload of \(l) bytes exceeds the maximum \(m)"
        case .truncatedPayload(let e, let a): return "V2GTP payload announced \(e) bytes, \(a) present"
        case .trailingBytes(let n): return "\(n) bytes after the V2GTP payload"
        }
    }
}

/// A whole V2GTP message: header and payload.
public struct V2GTPFrame: Sendable, Hashable {
    public var payloadType: UInt16
    public var payload: [UInt8]

    public init(payloadType: UInt16, payload: [UInt8]) {
        self.payloadType = payloadType
        self.payload = payload
    }

    public var bytes: [UInt8] { V2GTPHeader(payloadType: payloadType, payloadLength: UInt32(payload.count)).bytes + payload }

    /// Parses exactly one frame; the length is checked against `maximumPayload` before anything
    /// is copied.
    public init(parsing bytes: [UInt8], maximumPayload: UInt32 = 65_536) throws(V2GTPError) {
        let h = try V2GTPHeader(parsing: bytes)
        guard h.payloadLength <= maximumPayload else { throw .payloadTooLarge(length: h.payloadLength, maximum: maximumPayload) }
        let available = bytes.count - V2GTPHeader.size
        guard available >= Int(h.payloadLength) else { throw .truncatedPayload(expected: h.payloadLength, actual: available) }
        guard available == Int(h.payloadLength) else { throw .trailingBytes(available - Int(h.payloadLength)) }
        payloadType = h.payloadType
        payload = Array(bytes[V2GTPHeader.size...])
    }
}
