/// Reads an EXI body for the V2G profile; the mirror of `EXIEncoder`. Bounded by construction:
/// every length is checked against the remaining input before anything is allocated.
public struct EXIDecoder: Sendable {
    public var reader: BitReader
    @usableFromInline var strings = StringTable(indexed: false)

    public init(_ bytes: [UInt8]) { reader = BitReader(bytes) }

    @inlinable public var bitOffset: Int { reader.bitOffset }

    public mutating func readHeader() throws(EXIError) {
        let b = try reader.read(bits: 8)
        guard b == UInt32(EXIEncoder.header) else {
            throw EXIError(.invalidHeader, "EXI header byte is 0x\(String(b, radix: 16)), the V2G profile requires 0x80", bitOffset: 0)
        }
    }

    /// After the last event: only padding may remain.
    public func finish() throws(EXIError) {
        guard reader.atPaddingOnly else {
            throw EXIError(.trailingData, "\(reader.remainingBits / 8) bytes after the end of the document", bitOffset: reader.bitOffset)
        }
    }

    // MARK: events

    /// Reads the event code in `state`, moves to the production's target and returns its terminal.
    @inlinable @inline(__always)
    public mutating func next(_ grammar: Grammar, _ state: inout Int) throws(EXIError) -> UInt16 {
        let start = Int(grammar.stateStart[state])
        let count = Int(grammar.stateStart[state &+ 1]) &- start
        let at = reader.bitOffset
        let code = Int(try reader.read(bits: Int(grammar.stateBits[state])))
        if code < count {
            let p = grammar.decodeTable[start &+ code]
            state = Int(p & 0xFFFF)
            return UInt16(p >> 16)
        }
        throw undeclared(code, count, at)
    }

    @usableFromInline
    func undeclared(_ code: Int, _ count: Int, _ at: Int) -> EXIError {
        if code == count {
            return EXIError(.undeclaredEvent, "second-level event (undeclared in the schema) is not supported", bitOffset: at)
        }
        return EXIError(.invalidEventCode, "event code \(code) but only \(count) productions", bitOffset: at)
    }

    /// Builds the error for a terminal that the generated content walker did not expect.
    public func unexpected(_ terminal: UInt16, _ grammar: Grammar) -> EXIError {
        EXIError(.unexpectedEvent, "unexpected \(grammar.name(of: terminal))", bitOffset: reader.bitOffset)
    }

    @inlinable @inline(__always)
    public mutating func beginSimpleContent() throws(EXIError) {
        let at = reader.bitOffset
        if try reader.read(bits: 1) != 0 {
            throw EXIError(.undeclaredEvent, "second-level event instead of the element's value", bitOffset: at)
        }
    }

    @inlinable @inline(__always)
    public mutating func endSimpleContent() throws(EXIError) {
        let at = reader.bitOffset
        if try reader.read(bits: 1) != 0 {
            throw EXIError(.undeclaredEvent, "second-level event instead of the element's end", bitOffset: at)
        }
    }

    // MARK: datatypes

    @inlinable @inline(__always)
    public mutating func readBoolean() throws(EXIError) -> Bool { try reader.readBit() }

    @inlinable
    public mutating func readNBit(bits: Int) throws(EXIError) -> UInt32 { try reader.read(bits: bits) }

    @inlinable @inline(__always)
    public mutating func readUnsigned() throws(EXIError) -> UInt64 {
        let at = reader.bitOffset
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = UInt64(try reader.read(bits: 8))
            let payload = b & 0x7F
            if shift == 63 && payload > 1 || shift > 63 {
                throw EXIError(.integerOverflow, "unsigned integer does not fit in 64 bits", bitOffset: at)
            }
            result |= payload << shift
            if b & 0x80 == 0 { return result }
            shift += 7
        }
    }

    @inlinable @inline(__always)
    public mutating func readInteger() throws(EXIError) -> Int64 {
        let at = reader.bitOffset
        let negative = try reader.readBit()
        let m = try readUnsigned()
        guard m <= UInt64(Int64.max) else {
            throw EXIError(.integerOverflow, "integer does not fit in 64 bits", bitOffset: at)
        }
        return negative ? -Int64(m) - 1 : Int64(m)
    }

    public mutating func readBigInteger() throws(EXIError) -> BigInteger {
        let negative = try reader.readBit()
        var groups: [UInt8] = []
        while true {
            let b = UInt8(try reader.read(bits: 8))
            groups.append(b & 0x7F)
            if b & 0x80 == 0 { break }
        }
        return BigInteger(negative: negative, exiMagnitude: groups)
    }

    /// Reads an unsigned integer used as a length or count, refusing values that the rest of the
    /// input could not hold at `bitsPerItem` bits each.
    @inlinable
    public mutating func readLength(bitsPerItem: Int) throws(EXIError) -> Int {
        let at = reader.bitOffset
        let n = try readUnsigned()
        guard n <= UInt64(reader.remainingBits / bitsPerItem) else {
            throw EXIError(.lengthExceedsInput, "length \(n) exceeds what the remaining \(reader.remainingBits) bits can hold", bitOffset: at)
        }
        return Int(n)
    }

    @inlinable
    public mutating func readBinary() throws(EXIError) -> [UInt8] {
        let n = try readLength(bitsPerItem: 8)
        return try reader.readBytes(n)
    }

    @inlinable
    public mutating func readString(qname: Int) throws(EXIError) -> String {
        let at = reader.bitOffset
        let l = try readUnsigned()
        switch l {
        case 0:
            let id = Int(try reader.read(bits: Grammar.width(strings.localCount(qname))))
            guard let v = strings.localValue(qname, id) else {
                throw EXIError(.invalidStringTableReference, "local value \(id) does not exist", bitOffset: at)
            }
            return v
        case 1:
            let id = Int(try reader.read(bits: Grammar.width(strings.globalCount)))
            guard let v = strings.globalValue(id) else {
                throw EXIError(.invalidStringTableReference, "global value \(id) does not exist", bitOffset: at)
            }
            return v
        default:
            let count = l - 2
            // Each character is an unsigned integer of at least 8 bits.
            guard count <= UInt64(reader.remainingBits / 8) else {
                throw EXIError(.lengthExceedsInput, "string of \(count) characters exceeds the input", bitOffset: at)
            }
            // Decode straight into the string's UTF-8 storage (at most 4 bytes per character).
            var bad: (UInt64, Int)?
            var failure: EXIError?
            let v = String(unsafeUninitializedCapacity: Int(count) * 4) { buf in
                var n = 0
                for _ in 0..<Int(count) {
                    let cAt = reader.bitOffset
                    let c: UInt64
                    do throws(EXIError) { c = try readUnsigned() } catch { failure = error; return 0 }
                    guard c <= 0x10FFFF, Unicode.Scalar(UInt32(c)) != nil else { bad = (c, cAt); return 0 }
                    // UTF-8 (RFC 3629) of a valid scalar value.
                    switch c {
                    case 0..<0x80:
                        buf[n] = UInt8(c); n += 1
                    case 0x80..<0x800:
                        buf[n] = 0xC0 | UInt8(c >> 6); buf[n + 1] = 0x80 | UInt8(c & 0x3F); n += 2
                    case 0x800..<0x10000:
                        buf[n] = 0xE0 | UInt8(c >> 12); buf[n + 1] = 0x80 | UInt8(c >> 6 & 0x3F)
                        buf[n + 2] = 0x80 | UInt8(c & 0x3F); n += 3
                    default:
                        buf[n] = 0xF0 | UInt8(c >> 18); buf[n + 1] = 0x80 | UInt8(c >> 12 & 0x3F)
                        buf[n + 2] = 0x80 | UInt8(c >> 6 & 0x3F); buf[n + 3] = 0x80 | UInt8(c & 0x3F); n += 4
                    }
                }
                return n
            }
            if let failure { throw failure }
            if let (c, cAt) = bad {
                throw EXIError(.invalidCharacter, "code point \(c) is not a Unicode scalar", bitOffset: cAt)
            }
            if count > 0 { strings.add(v, qname: qname) }
            return v
        }
    }
}
