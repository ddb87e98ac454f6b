/// Reads an EXI body for the V2G profile; the mirror of `EXIEncoder`. Bounded by construction:
/// every length is checked against the remaining input before anything is allocated.
public struct EXIDecoder: Sendable {
    public var reader: BitReader
    @usableFromInline var strings = StringTable(indexed: false)

    /// Strings of up to this many characters are decoded through a stack buffer.
    @usableFromInline static let shortString = 16

    @inlinable
    public init(_ bytes: [UInt8]) { reader = BitReader(bytes) }

    @inlinable public var bitOffset: Int { reader.bitOffset }

    @inlinable
    public mutating func readHeader() throws(EXIError) {
        let b = try reader.read(bits: 8)
        guard b == UInt32(EXIEncoder.header) else { throw EXIError.invalidHeader(b) }
    }

    /// After the last event: only padding may remain.
    @inlinable
    public func finish() throws(EXIError) {
        guard reader.atPaddingOnly else { throw EXIError.trailingData(bytes: reader.remainingBits / 8, at: reader.bitOffset) }
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
        if try reader.read(bits: 1) != 0 {
            throw EXIError.secondLevelEvent(instead: "the element's value", at: reader.bitOffset &- 1)
        }
    }

    @inlinable @inline(__always)
    public mutating func endSimpleContent() throws(EXIError) {
        if try reader.read(bits: 1) != 0 {
            throw EXIError.secondLevelEvent(instead: "the element's end", at: reader.bitOffset &- 1)
        }
    }

    // MARK: datatypes

    @inlinable @inline(__always)
    public mutating func readBoolean() throws(EXIError) -> Bool { try reader.readBit() }

    @inlinable
    public mutating func readNBit(bits: Int) throws(EXIError) -> UInt32 { try reader.read(bits: bits) }

    @inlinable @inline(__always)
    public mutating func readUnsigned() throws(EXIError) -> UInt64 { try reader.readUnsigned() }

    @inlinable @inline(__always)
    public mutating func readInteger() throws(EXIError) -> Int64 {
        let at = reader.bitOffset
        let negative = try reader.readBit()
        let m = try reader.readUnsigned()
        guard m <= UInt64(Int64.max) else { throw EXIError.integerOverflow(signed: true, at: at) }
        return negative ? -Int64(m) &- 1 : Int64(m)
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
            throw EXIError.lengthExceedsInput(n, remainingBits: reader.remainingBits, at: at)
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
            let n = Int(count)
            let v: String
            if n <= Self.shortString {
                // Short values (names, IDs, codes) are decoded on the stack; a result of up to 15
                // UTF-8 bytes is a small String, which has no heap storage.
                v = try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.shortString * 4) { buf throws(EXIError) in
                    let used = try decodeCharacters(n, into: buf)
                    return String(decoding: UnsafeBufferPointer(rebasing: buf[..<used]), as: UTF8.self)
                }
            } else {
                // Straight into the string's UTF-8 storage (at most 4 bytes per character).
                var failure: EXIError?
                v = String(unsafeUninitializedCapacity: n * 4) { buf in
                    do throws(EXIError) { return try decodeCharacters(n, into: buf) } catch { failure = error; return 0 }
                }
                if let failure { throw failure }
            }
            if count > 0 { strings.add(v, qname: qname) }
            return v
        }
    }

    /// Reads `count` characters (code points, §7.1.10) and writes their UTF-8 (RFC 3629) to `buf`,
    /// which holds at least 4 bytes per character; returns the bytes written.
    @inlinable
    mutating func decodeCharacters(_ count: Int, into buf: UnsafeMutableBufferPointer<UInt8>) throws(EXIError) -> Int {
        var n = 0
        for _ in 0..<count {
            let at = reader.bitOffset
            let c = try reader.readUnsigned()
            guard c <= 0x10FFFF, Unicode.Scalar(UInt32(c)) != nil else {
                throw EXIError(.invalidCharacter, "code point \(c) is not a Unicode scalar", bitOffset: at)
            }
            switch c {
            case 0..<0x80:
                buf[n] = UInt8(c); n &+= 1
            case 0x80..<0x800:
                buf[n] = 0xC0 | UInt8(c >> 6); buf[n + 1] = 0x80 | UInt8(c & 0x3F); n &+= 2
            case 0x800..<0x10000:
                buf[n] = 0xE0 | UInt8(c >> 12); buf[n + 1] = 0x80 | UInt8(c >> 6 & 0x3F)
                buf[n + 2] = 0x80 | UInt8(c & 0x3F); n &+= 3
            default:
                buf[n] = 0xF0 | UInt8(c >> 18); buf[n + 1] = 0x80 | UInt8(c >> 12 & 0x3F)
                buf[n + 2] = 0x80 | UInt8(c >> 6 & 0x3F); buf[n + 3] = 0x80 | UInt8(c & 0x3F); n &+= 4
            }
        }
        return n
    }
}
