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
    public mutating func writeBytes(_ data: [UInt8]) {
        if accBits == 0 {
            bytes.append(contentsOf: data)
            return
        }
        for b in data { write(UInt32(b), bits: 8) }
    }

    /// Pads the last byte with zero bits and returns the stream.
    public mutating func finish() -> [UInt8] {
        let whole = (accBits + 7) / 8
        if whole > 0 {
            let word = acc.bigEndian
            withUnsafeBytes(of: word) { bytes.append(contentsOf: $0.prefix(whole)) }
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

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    @inlinable public var bitOffset: Int { position }
    @inlinable public var remainingBits: Int { bytes.count * 8 - position }

    /// Reads `count` bits (0 ≤ count ≤ 32), most significant first.
    @inlinable @inline(__always)
    public mutating func read(bits count: Int) throws(EXIError) -> UInt32 {
        if count == 0 { return 0 }
        let byteIndex = position >> 3
        if byteIndex + 8 <= bytes.count {
            // Fast path: one unaligned 64-bit load covers the ≤ 39 bits involved.
            let word = bytes.withUnsafeBytes { UInt64(bigEndian: $0.loadUnaligned(fromByteOffset: byteIndex, as: UInt64.self)) }
            let value = (word << UInt64(position & 7)) >> UInt64(64 - count)
            position += count
            return UInt32(truncatingIfNeeded: value)
        }
        guard count <= remainingBits else {
            throw EXIError(.endOfStream, "needed \(count) more bits", bitOffset: position)
        }
        var result: UInt32 = 0
        var need = count
        while need > 0 {
            let byte = UInt32(bytes[position >> 3])
            let used = position & 7
            let avail = 8 - used
            let take = need < avail ? need : avail
            let chunk = (byte >> UInt32(avail - take)) & ((1 << UInt32(take)) - 1)
            result = (result << UInt32(take)) | chunk
            position += take
            need -= take
        }
        return result
    }

    @inlinable
    public mutating func readBit() throws(EXIError) -> Bool { try read(bits: 1) == 1 }

    @inlinable
    public mutating func readBytes(_ count: Int) throws(EXIError) -> [UInt8] {
        guard count >= 0, count <= remainingBits / 8 else {
            throw EXIError(.lengthExceedsInput, "\(count) bytes announced, \(remainingBits / 8) left", bitOffset: position)
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
