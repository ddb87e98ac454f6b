/// Writes an EXI body for the V2G profile: bit-packed, schema-informed, no options in the header.
/// Generated encoders drive it with grammar tables; it owns the bit stream and the string table.
public struct EXIEncoder: Sendable {
    public struct Options: Sendable, Equatable {
        /// Emit string-table hits (EXI 1.0 §7.3.3) for values already in the string table.
        ///
        /// Off by default: every ISO 15118-20 stack we interoperate with writes each string as a
        /// miss and most cannot read hits. libcbv2g rejects them outright; Josev configures
        /// EXIficient with `valueMaxLength = 0` and `valuePartitionCapacity = 0`, so its decoder
        /// has no partitions to look hits up in. All reference vectors (libcbv2g, EXIficient,
        /// dSPACE, WWCP) are misses only, and a miss is decodable by every decoder. Turn it on for
        /// peers that run EXI with the default unbounded string table. Our decoder accepts both.
        public var stringTableHits: Bool
        public init(stringTableHits: Bool = false) { self.stringTableHits = stringTableHits }
        public static let `default` = Options()
    }

    public var writer: BitWriter
    @usableFromInline var strings: StringTable
    public let options: Options

    public init(options: Options = .default, capacity: Int = 64) {
        self.writer = BitWriter(capacity: capacity)
        self.strings = StringTable(indexed: options.stringTableHits)
        self.options = options
    }

    /// An encoder that writes into `bytes`' storage, taken over and emptied (see
    /// `EXIRootCoder.encodeEXI(options:into:)`); `finish()` hands it back.
    @inlinable
    public init(options: Options = .default, reusing bytes: inout [UInt8]) {
        var storage: [UInt8] = []
        swap(&storage, &bytes)
        self.writer = BitWriter(reusing: consume storage)
        self.strings = StringTable(indexed: options.stringTableHits)
        self.options = options
    }

    /// The one-byte EXI header the V2G profile uses: `10` distinguishing bits, no options,
    /// format version 1 (EXI 1.0 §5).
    public static let header: UInt8 = 0x80

    @inlinable @inline(__always)
    public mutating func writeHeader() { writer.write(UInt32(Self.header), bits: 8) }

    @inlinable
    public mutating func finish() -> [UInt8] { writer.finish() }

    // MARK: events

    /// Writes the event code of `terminal` in `state` and moves to the production's target.
    @inlinable @inline(__always)
    public mutating func emit(_ terminal: UInt16, _ grammar: Grammar, _ state: inout Int) throws(EXIError) {
        let entry = Int(terminal) < grammar.terminalCount ? grammar.encodeTable[state &* grammar.terminalCount &+ Int(terminal)] : 0
        guard entry != 0 else { throw unexpected(terminal, grammar, state) }
        writer.write((entry >> 20) & 0x7FF, bits: Int((entry >> 16) & 0xF))
        state = Int(entry & 0xFFFF)
    }

    @usableFromInline
    func unexpected(_ terminal: UInt16, _ grammar: Grammar, _ state: Int) -> EXIError {
        let allowed = grammar.productions(of: state).map { grammar.name(of: $0.terminal) }.joined(separator: ", ")
        return EXIError(.unexpectedEvent, "\(grammar.name(of: terminal)) is not allowed here (expected one of: \(allowed))",
                        bitOffset: writer.bitCount)
    }

    /// A child element of simple type uses the standard simple-type grammar: `CH` then `EE`, each
    /// with a 1-bit code because the non-strict grammar has second-level productions.
    @inlinable @inline(__always) public mutating func beginSimpleContent() { writer.write(0, bits: 1) }
    @inlinable @inline(__always) public mutating func endSimpleContent() { writer.write(0, bits: 1) }

    // MARK: datatypes (EXI 1.0 §7.1)

    @inlinable @inline(__always)
    public mutating func writeBoolean(_ v: Bool) { writer.writeBit(v) }

    /// n-bit unsigned integer (§7.1.9), used for bounded ranges of at most 4096 values and for
    /// enumeration indices.
    @inlinable @inline(__always)
    public mutating func writeNBit(_ v: UInt32, bits: Int) { writer.write(v, bits: bits) }

    /// Unsigned integer (§7.1.6): 7-bit groups, least significant first, high bit = more follow.
    @inlinable @inline(__always)
    public mutating func writeUnsigned(_ v: UInt64) {
        var v = v
        while v >= 0x80 {
            writer.write(UInt32(v & 0x7F) | 0x80, bits: 8)
            v >>= 7
        }
        writer.write(UInt32(v), bits: 8)
    }

    /// Integer (§7.1.5): sign bit, then the magnitude (minus one for negative values).
    @inlinable @inline(__always)
    public mutating func writeInteger(_ v: Int64) {
        if v < 0 {
            writer.writeBit(true)
            writeUnsigned(UInt64(-(v + 1)))
        } else {
            writer.writeBit(false)
            writeUnsigned(UInt64(v))
        }
    }

    /// Arbitrary-precision integer (xs:integer).
    public mutating func writeInteger(_ v: BigInteger) {
        writer.writeBit(v.isNegative)
        // Magnitude of negative values is |v| - 1.
        let groups = v.isNegative ? BigInteger.decrement(v.groups) : v.groups
        if groups.isEmpty { writer.write(0, bits: 8); return }
        for (i, g) in groups.enumerated() {
            writer.write(UInt32(g) | (i < groups.count - 1 ? 0x80 : 0), bits: 8)
        }
    }

    /// Binary (§7.1.1): length, then the bytes.
    @inlinable
    public mutating func writeBinary(_ v: some Collection<UInt8>) {
        writeUnsigned(UInt64(v.count))
        writer.writeBytes(v)
    }

    /// String (§7.1.10) through the string table (§7.3.3). `qname` names the element or attribute
    /// whose local value partition applies.
    @inlinable
    public mutating func writeString(_ v: String, qname: Int) {
        if options.stringTableHits {
            if let id = strings.localHit(v, qname: qname) {
                writeUnsigned(0)
                writer.write(UInt32(id), bits: Grammar.width(strings.localCount(qname)))
                return
            }
            if let id = strings.globalHit(v) {
                writeUnsigned(1)
                writer.write(UInt32(id), bits: Grammar.width(strings.globalCount))
                return
            }
        }
        let scalars = v.unicodeScalars
        var count = 0
        for _ in scalars { count += 1 }
        writeUnsigned(UInt64(count + 2))
        for s in scalars { writeUnsigned(UInt64(s.value)) }
        // Without hits the table is never consulted, so it is not kept.
        if count > 0 && options.stringTableHits { strings.add(v, qname: qname) }
    }
}
