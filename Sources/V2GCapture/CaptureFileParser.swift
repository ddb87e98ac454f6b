/// Reads a pcap or pcapng capture pushed to it in pieces of any size (`feed`), so a capture of any
/// size streams in constant memory: it holds at most one record or block (bounded by
/// `maximumRecord`) and what it has not parsed yet. The format is recognized from the first four
/// bytes. Sans I/O: the caller reads the file.
///
/// pcap: the 24-byte global header (magic 0xa1b2c3d4 microseconds or 0xa1b23c4d nanoseconds, in
/// either byte order), then 16-byte record headers. pcapng: blocks of type, total length, body and
/// the length again; a Section Header Block sets the byte order and starts a new set of
/// interfaces; Interface Description Blocks give each interface its link type and timestamp
/// resolution (if_tsresol, if_tsoffset); Enhanced, Simple and the obsolete Packet Blocks carry
/// packets; Decryption Secrets Blocks carry TLS key logs; other blocks are skipped.
public struct CaptureFileParser: Sendable {
    /// The largest record or block accepted (16 MiB: far beyond any snap length).
    public static let maximumRecord = 16 << 20

    private enum Format: Sendable {
        case unknown
        case pcap(bigEndian: Bool, nanoseconds: Bool, linkType: LinkType, headerDone: Bool)
        case pcapng(bigEndian: Bool, interfaces: [Interface])
    }

    private struct Interface: Sendable {
        var linkType: LinkType
        /// Timestamp units per second as a resolution: 10^-n (`decimal`) or 2^-n.
        var resolutionExponent: UInt8 = 6
        var decimal = true
        var offsetSeconds: Int64 = 0
    }

    private var format: Format = .unknown
    private var buffer: [UInt8] = []
    /// Bytes of the file before `buffer[0]`.
    private var consumedBefore = 0
    private var packets = 0

    public init() {}

    /// Parses what `bytes` completes; returns the records in file order.
    public mutating func feed<C: Collection>(_ bytes: C) throws(CaptureError) -> [CaptureRecord] where C.Element == UInt8 {
        buffer.append(contentsOf: bytes)
        var records: [CaptureRecord] = []
        var offset = 0
        defer {
            // Drop what is parsed; keep the partial record.
            if offset > 0 {
                buffer.removeFirst(offset)
                consumedBefore += offset
            }
        }
        while true {
            guard let used = try parseOne(at: offset, into: &records) else { break }
            offset += used
        }
        return records
    }

    /// The file ended: anything left over is a truncated record.
    public func finish() throws(CaptureError) {
        if case .unknown = format {
            if buffer.isEmpty { throw .unknownFormat([]) }
            throw .unknownFormat(Array(buffer.prefix(4)))
        }
        if !buffer.isEmpty {
            throw .truncated(offset: consumedBefore, needed: expectedLength(at: 0) ?? buffer.count + 1, available: buffer.count)
        }
    }

    /// How long the unit at `at` is, once its header is in.
    private func expectedLength(at: Int) -> Int? {
        switch format {
        case .unknown: return nil
        case .pcap(let be, _, _, let headerDone):
            guard headerDone else { return 24 }
            return buffer.u32(at + 8, bigEndian: be).map { 16 + Int($0) }
        case .pcapng(let be, _):
            return buffer.u32(at + 4, bigEndian: be).map(Int.init)
        }
    }

    /// Parses one unit at `at`; nil when it is not complete yet.
    private mutating func parseOne(at: Int, into records: inout [CaptureRecord]) throws(CaptureError) -> Int? {
        let available = buffer.count - at
        let fileOffset = consumedBefore + at
        switch format {
        case .unknown:
            guard available >= 4 else { return nil }
            let magic = Array(buffer[at..<(at + 4)])
            switch magic {
            case [0xA1, 0xB2, 0xC3, 0xD4]: format = .pcap(bigEndian: true, nanoseconds: false, linkType: .ethernet, headerDone: false)
            case [0xD4, 0xC3, 0xB2, 0xA1]: format = .pcap(bigEndian: false, nanoseconds: false, linkType: .ethernet, headerDone: false)
            case [0xA1, 0xB2, 0x3C, 0x4D]: format = .pcap(bigEndian: true, nanoseconds: true, linkType: .ethernet, headerDone: false)
            case [0x4D, 0x3C, 0xB2, 0xA1]: format = .pcap(bigEndian: false, nanoseconds: true, linkType: .ethernet, headerDone: false)
            case [0x0A, 0x0D, 0x0D, 0x0A]: format = .pcapng(bigEndian: false, interfaces: [])
            default: throw .unknownFormat(magic)
            }
            return 0
        case .pcap(let be, let ns, let linkType, let headerDone):
            if !headerDone {
                guard available >= 24 else { return nil }
                let link = buffer.u32(at + 20, bigEndian: be)! & 0x0FFF_FFFF
                format = .pcap(bigEndian: be, nanoseconds: ns, linkType: LinkType(rawValue: link), headerDone: true)
                return 24
            }
            guard available >= 16, let seconds = buffer.u32(at, bigEndian: be), let fraction = buffer.u32(at + 4, bigEndian: be),
                  let included = buffer.u32(at + 8, bigEndian: be), let original = buffer.u32(at + 12, bigEndian: be) else { return nil }
            guard included <= Self.maximumRecord else { throw .badLength(offset: fileOffset, length: Int(included), maximum: Self.maximumRecord) }
            guard available >= 16 + Int(included) else { return nil }
            packets += 1
            let time = Int64(seconds) * 1_000_000_000 + Int64(fraction) * (ns ? 1 : 1000)
            records.append(.packet(CapturedPacket(time: time, linkType: linkType, data: buffer.slice(at + 16, Int(included))!,
                                                  originalLength: Int(original), number: packets)))
            return 16 + Int(included)
        case .pcapng(var be, var interfaces):
            guard available >= 12 else { return nil }
            if buffer.u32(at, bigEndian: false) == 0x0A0D_0D0A {
                // A Section Header Block: its byte-order magic decides how to read even its length.
                switch buffer.u32(at + 8, bigEndian: false) {
                case 0x1A2B_3C4D: be = false
                case 0x4D3C_2B1A: be = true
                default: throw .malformedBlock(offset: fileOffset, "bad byte-order magic in the section header")
                }
                interfaces = []
                format = .pcapng(bigEndian: be, interfaces: interfaces)
            }
            guard let type = buffer.u32(at, bigEndian: be), let length32 = buffer.u32(at + 4, bigEndian: be) else { return nil }
            let length = Int(length32)
            guard length >= 12, length % 4 == 0, length <= Self.maximumRecord else {
                throw .badLength(offset: fileOffset, length: length, maximum: Self.maximumRecord)
            }
            guard available >= length else { return nil }
            guard buffer.u32(at + length - 4, bigEndian: be) == length32 else {
                throw .malformedBlock(offset: fileOffset, "the trailing length differs from the leading one")
            }
            let body = buffer.slice(at + 8, length - 12)!
            switch type {
            case 0x0000_0001:
                guard let link = body.u16(0, bigEndian: be) else { throw .malformedBlock(offset: fileOffset, "short interface description") }
                var interface = Interface(linkType: LinkType(rawValue: UInt32(link)))
                Self.options(body, from: 8, bigEndian: be) { code, value in
                    if code == 9, let v = value.first { interface.resolutionExponent = v & 0x7F; interface.decimal = v & 0x80 == 0 }
                    if code == 14, let v = value.u64(0, bigEndian: be) { interface.offsetSeconds = Int64(bitPattern: v) }
                }
                interfaces.append(interface)
                format = .pcapng(bigEndian: be, interfaces: interfaces)
            case 0x0000_0006, 0x0000_0002:
                // Enhanced Packet Block; the obsolete Packet Block has a 2-byte interface ID and drops count.
                let enhanced = type == 6
                guard let id = enhanced ? body.u32(0, bigEndian: be).map(Int.init) : body.u16(0, bigEndian: be).map(Int.init),
                      let high = body.u32(4, bigEndian: be), let low = body.u32(8, bigEndian: be),
                      let captured = body.u32(12, bigEndian: be), let original = body.u32(16, bigEndian: be),
                      let data = body.slice(20, Int(captured)) else {
                    throw .malformedBlock(offset: fileOffset, "packet block shorter than its captured length")
                }
                guard id < interfaces.count else { throw .unknownInterface(offset: fileOffset, id) }
                packets += 1
                let i = interfaces[id]
                records.append(.packet(CapturedPacket(time: Self.nanoseconds(UInt64(high) << 32 | UInt64(low), i), linkType: i.linkType,
                                                      interface: id, data: data, originalLength: Int(original), number: packets)))
            case 0x0000_0003:
                // Simple Packet Block: interface 0, no timestamp; the captured length is what the block holds.
                guard let original = body.u32(0, bigEndian: be), let first = interfaces.first else {
                    throw .malformedBlock(offset: fileOffset, "simple packet block without an interface")
                }
                packets += 1
                let data = Array(body.dropFirst(4).prefix(Int(original)))
                records.append(.packet(CapturedPacket(time: 0, linkType: first.linkType, data: data, originalLength: Int(original), number: packets)))
            case 0x0000_000A:
                guard let secretsType = body.u32(0, bigEndian: be), let secretsLength = body.u32(4, bigEndian: be),
                      let secrets = body.slice(8, Int(secretsLength)) else {
                    throw .malformedBlock(offset: fileOffset, "decryption secrets block shorter than its secrets")
                }
                records.append(.decryptionSecrets(type: secretsType, data: secrets))
            default:
                break  // section header, statistics, name resolution, custom: nothing a V2G trace needs
            }
            return length
        }
    }

    /// The options of a pcapng block body from `start`: code, length, value padded to 4 bytes.
    private static func options(_ body: [UInt8], from start: Int, bigEndian: Bool, _ each: (UInt16, [UInt8]) -> Void) {
        var at = start
        while let code = body.u16(at, bigEndian: bigEndian), let length = body.u16(at + 2, bigEndian: bigEndian), code != 0 {
            guard let value = body.slice(at + 4, Int(length)) else { return }
            each(code, value)
            at += 4 + (Int(length) + 3) / 4 * 4
        }
    }

    /// An interface's timestamp in nanoseconds since the epoch.
    private static func nanoseconds(_ units: UInt64, _ i: Interface) -> Int64 {
        let offset = i.offsetSeconds &* 1_000_000_000
        if i.decimal {
            let e = Int(i.resolutionExponent)
            if e <= 9 {
                var scale: UInt64 = 1
                for _ in 0..<(9 - e) { scale *= 10 }
                let (v, overflow) = units.multipliedReportingOverflow(by: scale)
                return offset &+ (overflow ? Int64.max : Int64(clamping: v))
            }
            var divisor: UInt64 = 1
            for _ in 0..<min(e - 9, 19) { divisor *= 10 }
            return offset &+ Int64(clamping: units / divisor)
        }
        let seconds = Double(units) / Double(sign: .plus, exponent: Int(i.resolutionExponent), significand: 1)
        return offset &+ Int64(clamping: Int64(exactly: (seconds * 1e9).rounded(.down)) ?? Int64.max)
    }
}
