/// Bit-packed output (EXI 1.0 §7.1, alignment `bit-packed`): bits are written most significant
/// first, bytes fill from the high bit down. The final byte is padded with zeros.
public struct BitWriter: Sendable {
    @usableFromInline var bytes: [UInt8]
    /// Pending bits, right-aligned in `acc`; `accBits` of them are valid (always < 8 after a write).
    @usableFromInline var acc: UInt64 = 0
    @usableFromInline var accBits: Int = 0

    public init(capacity: Int = 64) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Number of bits written so far.
    @inlinable public var bitCount: Int { bytes.count * 8 + accBits }

    /// Writes the low `count` bits of `value` (0 ≤ count ≤ 32), most significant first.
    @inlinable
    public mutating func write(_ value: UInt32, bits count: Int) {
        if count == 0 { return }
        acc = (acc << UInt64(count)) | UInt64(value & (count == 32 ? .max : (1 << UInt32(count)) &- 1))
        accBits += count
        while accBits >= 8 {
            accBits -= 8
            bytes.append(UInt8(truncatingIfNeeded: acc >> UInt64(accBits)))
        }
        acc &= (1 << UInt64(accBits)) &- 1
    }

    @inlinable
    public mutating func writeBit(_ bit: Bool) { write(bit ? 1 : 0, bits: 1) }

    /// Writes whole bytes; fast when the stream happens to be byte aligned.
    @inlinable
    public mutating func writeBytes(_ data: [UInt8]) {
        if accBits == 0 {
            bytes.append(contentsOf: data)
        } else {
            for b in data { write(UInt32(b), bits: 8) }
        }
    }

    /// Pads the last byte with zero bits and returns the stream.
    public mutating func finish() -> [UInt8] {
        if accBits > 0 {
            bytes.append(UInt8(truncatingIfNeeded: acc << UInt64(8 - accBits)))
            acc = 0
            accBits = 0
        }
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
    @inlinable
    public mutating func read(bits count: Int) throws(EXIError) -> UInt32 {
        if count == 0 { return 0 }
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
