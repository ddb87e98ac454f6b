/// Bit-packed output (EXI 1.0 §7.1, alignment `bit-packed`): bits are written most significant
/// first, bytes fill from the high bit down. The final byte is padded with zeros.
public struct BitWriter: Sendable {
    @usableFromInline var bytes: [UInt8]
    /// Pending bits, left-aligned in `acc` (the next bit goes to bit 63 - accBits).
    @usableFromInline var acc: UInt64 = 0
    @usableFromInline var accBits: Int = 0

    public init(capacity: Int = 64) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Writes into `storage`'s memory: its contents are dropped, its capacity is kept, so a
    /// buffer reused from message to message is allocated once.
    @inlinable
    public init(reusing storage: consuming [UInt8], capacity: Int = 64) {
        bytes = consume storage  // the only owner, so emptying keeps the memory
        // removeAll(keepingCapacity:) goes through a generic replaceSubrange; a short previous
        // message is dropped byte by byte, which costs less.
        if bytes.count <= 16 {
            while !bytes.isEmpty { bytes.removeLast() }
        } else {
            bytes.removeAll(keepingCapacity: true)
        }
        if bytes.capacity < capacity { bytes.reserveCapacity(capacity) }
    }

    /// Number of bits written so far.
    @inlinable public var bitCount: Int { bytes.count * 8 + accBits }

    /// Writes the low `count` bits of `value` (0 ≤ count ≤ 32), most significant first. Bits
    /// collect in a 64-bit accumulator that is stored eight bytes at a time.
    @inlinable @inline(__always)
    public mutating func write(_ value: UInt32, bits count: Int) {
        let v = UInt64(value) & ((1 &<< UInt64(count)) &- 1)
        let free = 64 &- accBits
        if count < free {
            acc |= v &<< UInt64(free &- count)
            accBits &+= count
            return
        }
        // Fill the accumulator, flush it, keep the rest.
        let rest = count &- free
        acc |= v &>> UInt64(rest)
        flush()
        if rest > 0 {
            acc = v &<< UInt64(64 &- rest)
            accBits = rest
        }
    }

    @inlinable
    mutating func flush() {
        let word = acc.bigEndian
        withUnsafeBytes(of: word) { bytes.append(contentsOf: $0) }
        acc = 0
        accBits = 0
    }

    @inlinable
    public mutating func writeBit(_ bit: Bool) { write(bit ? 1 : 0, bits: 1) }

    /// Writes whole bytes.
    @inlinable
    public mutating func writeBytes(_ data: some Collection<UInt8>) {
        if accBits == 0 {
            bytes.append(contentsOf: data)
            return
        }
        for b in data { write(UInt32(b), bits: 8) }
    }

    /// Pads the last byte with zero bits and returns the stream.
    @inlinable
    public mutating func finish() -> [UInt8] {
        // The pending bits are at most eight bytes: appended one by one, which for a few bytes
        // is cheaper than a generic append of a slice.
        var rest = accBits
        var word = acc
        while rest > 0 {
            bytes.append(UInt8(truncatingIfNeeded: word &>> 56))
            word &<<= 8
            rest &-= 8
        }
        acc = 0
        accBits = 0
        return bytes
    }
}

/// Bit-packed input, the mirror of `BitWriter`. Every read is bounds-checked against the input.
public struct BitReader: Sendable {
    @usableFromInline let bytes: [UInt8]
    @usableFromInline var position: Int = 0  // in bits
    /// The input's last (up to) eight bytes, from `tailStart`, as the high bytes of a word padded
    /// with zeros: reads near the end shift this instead of assembling bytes one by one.
    @usableFromInline let tail: UInt64
    @usableFromInline let tailStart: Int

    @inlinable
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        tailStart = max(bytes.count - 8, 0)
        var word: UInt64 = 0
        if bytes.count >= 8 {
            word = bytes.withUnsafeBytes { UInt64(bigEndian: $0.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt64.self)) }
        } else {
            for (i, b) in bytes.enumerated() { word |= UInt64(b) << (56 - 8 * UInt64(i)) }
        }
        tail = word
    }

    @inlinable public var bitOffset: Int { position }
    @inlinable public var remainingBits: Int { bytes.count * 8 - position }

    /// Reads `count` bits (0 ≤ count ≤ 32), most significant first.
    @inlinable @inline(__always)
    public mutating func read(bits count: Int) throws(EXIError) -> UInt32 {
        assert(count >= 0 && count <= 32, "read(bits:) takes 0...32 bits")
        if count == 0 { return 0 }
        let word: UInt64
        if position &>> 3 &+ 8 <= bytes.count {
            word = load(at: position &>> 3)
        } else {
            guard count <= remainingBits else { throw EXIError.endOfStream(needed: count, at: position) }
            word = tailWord()
        }
        // The ≤ 39 bits involved are in the word: skip the bits already read, keep `count`.
        let value = (word &<< UInt64(position & 7)) &>> UInt64(64 &- count)
        position &+= count
        return UInt32(truncatingIfNeeded: value)
    }

    /// The eight bytes at `byteIndex` as one big-endian word (one unaligned load); the caller has
    /// checked that they exist.
    @inlinable @inline(__always)
    func load(at byteIndex: Int) -> UInt64 {
        bytes.withUnsafeBytes { UInt64(bigEndian: $0.loadUnaligned(fromByteOffset: byteIndex, as: UInt64.self)) }
    }

    /// The bytes from the current one to the end (fewer than eight), as the high bytes of a word
    /// padded with zeros, so that the end of a stream reads like its middle.
    @inlinable @inline(__always)
    func tailWord() -> UInt64 {
        assert(position &>> 3 >= tailStart && position &>> 3 < bytes.count, "tailWord() past the input")
        return tail &<< UInt64(((position &>> 3) &- tailStart) &* 8)
    }

    /// Reads an EXI Unsigned Integer (§7.1.6): 7-bit groups, least significant first, the high bit
    /// of each octet set while more follow. Up to seven groups come from one word load.
    @inlinable @inline(__always)
    public mutating func readUnsigned() throws(EXIError) -> UInt64 {
        let at = position
        var result: UInt64 = 0
        var shift: UInt64 = 0
        if position &>> 3 &+ 8 <= bytes.count {
            // The word holds at least 57 unread bits: seven whole octets.
            var word = load(at: position &>> 3) &<< UInt64(position & 7)
            for _ in 0..<7 {
                let octet = word &>> 56
                result |= (octet & 0x7F) &<< shift
                position &+= 8
                if octet & 0x80 == 0 { return result }
                word &<<= 8
                shift &+= 7
            }
        }
        while true {
            let octet = UInt64(try read(bits: 8))
            let payload = octet & 0x7F
            if shift == 63 && payload > 1 || shift > 63 { throw EXIError.integerOverflow(signed: false, at: at) }
            result |= payload &<< shift
            if octet & 0x80 == 0 { return result }
            shift &+= 7
        }
    }

    @inlinable
    public mutating func readBit() throws(EXIError) -> Bool { try read(bits: 1) == 1 }

    @inlinable
    public mutating func readBytes(_ count: Int) throws(EXIError) -> [UInt8] {
        guard count >= 0, count <= remainingBits / 8 else {
            throw EXIError.bytesExceedInput(count, remainingBits: remainingBits, at: position)
        }
        if position & 7 == 0 {
            let start = position >> 3
            position += count * 8
            return Array(bytes[start..<start + count])
        }
        var out = [UInt8]()
        out.reserveCapacity(count)
        for _ in 0..<count { out.append(UInt8(try read(bits: 8))) }
        return out
    }

    /// True when the rest of the stream is only the padding of the last byte. Padding bits may hold
    /// any value (some encoders leave them non-zero), so only whole extra bytes count as trailing data.
    @inlinable public var atPaddingOnly: Bool { remainingBits < 8 }
}
