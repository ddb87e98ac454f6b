/// Typed value coders with schema facets, called by generated code: one call per value, so the
/// generated walkers stay short. A facet violation is an `EXIError.facetViolation` that names the
/// bit offset; the generated caller adds the field path.

/// A generated enumeration: EXI encodes the index of the value in schema order (§7.1.9).
public protocol EXIEnumeration {
    init?(exiIndex: UInt32)
    var exiIndex: UInt32 { get }
}

/// A generated complex type: the content of an element after its SE event (attributes, children,
/// simple content, EE).
public protocol EXIComplexContent: Sendable {
    func exiEncode(_ e: inout EXIEncoder, element: Int) throws(EXIError)
    static func exiDecode(_ d: inout EXIDecoder, element: Int) throws(EXIError) -> Self
}

extension EXIEncoder {
    @inlinable @inline(__always)
    public mutating func writeNBitInteger<T: BinaryInteger>(_ v: T, bits: Int, offset: Int64, max: Int64) throws(EXIError) {
        let x = Int64(v)
        guard x >= offset, x <= max else { throw EXIError.outside(x, offset, max, at: writer.bitCount) }
        writer.write(UInt32(x - offset), bits: bits)
    }

    @inlinable @inline(__always)
    public mutating func writeUnsignedInteger<T: BinaryInteger>(_ v: T, min: UInt64, max: UInt64) throws(EXIError) {
        guard v >= 0, UInt64(v) >= min, UInt64(v) <= max else {
            throw v < 0 ? EXIError.outside(Int64(truncatingIfNeeded: v), Int64(clamping: min), Int64(clamping: max), at: writer.bitCount)
                        : EXIError.outside(UInt64(v), min, max, at: writer.bitCount)
        }
        writeUnsigned(UInt64(v))
    }

    @inlinable @inline(__always)
    public mutating func writeSignedInteger<T: BinaryInteger>(_ v: T, min: Int64, max: Int64) throws(EXIError) {
        let x = Int64(v)
        guard x >= min, x <= max else { throw EXIError.outside(x, min, max, at: writer.bitCount) }
        writeInteger(x)
    }

    @inlinable
    public mutating func writeStringValue(_ v: String, qname: Int, minLength: Int, maxLength: Int) throws(EXIError) {
        if minLength > 0 || maxLength < Int.max {
            let n = v.unicodeScalars.count
            guard n >= minLength, n <= maxLength else { throw EXIError.lengthOutside(n, minLength, maxLength, binary: false, at: writer.bitCount) }
        }
        writeString(v, qname: qname)
    }

    @inlinable
    public mutating func writeBinaryValue(_ v: [UInt8], minLength: Int, maxLength: Int) throws(EXIError) {
        guard v.count >= minLength, v.count <= maxLength else {
            throw EXIError.lengthOutside(v.count, minLength, maxLength, binary: true, at: writer.bitCount)
        }
        writeBinary(v)
    }

    @inlinable @inline(__always)
    public mutating func writeEnumeration<E: EXIEnumeration>(_ v: E, bits: Int) {
        writer.write(v.exiIndex, bits: bits)
    }
}

extension EXIDecoder {
    @inlinable @inline(__always)
    public mutating func readNBitInteger<T: FixedWidthInteger>(bits: Int, offset: Int64, max: Int64, as: T.Type) throws(EXIError) -> T {
        let at = bitOffset
        let x = Int64(try reader.read(bits: bits)) &+ offset
        guard x <= max, let v = T(exactly: x) else { throw EXIError.aboveMaximum(x, max, at: at) }
        return v
    }

    @inlinable @inline(__always)
    public mutating func readUnsignedInteger<T: FixedWidthInteger>(min: UInt64, max: UInt64, as: T.Type) throws(EXIError) -> T {
        let at = bitOffset
        let x = try reader.readUnsigned()
        guard x >= min, x <= max, let v = T(exactly: x) else { throw EXIError.outside(x, min, max, at: at) }
        return v
    }

    @inlinable @inline(__always)
    public mutating func readSignedInteger<T: FixedWidthInteger>(min: Int64, max: Int64, as: T.Type) throws(EXIError) -> T {
        let at = bitOffset
        let x = try readInteger()
        guard x >= min, x <= max, let v = T(exactly: x) else { throw EXIError.outside(x, min, max, at: at) }
        return v
    }

    @inlinable
    public mutating func readStringValue(qname: Int, minLength: Int, maxLength: Int) throws(EXIError) -> String {
        let at = bitOffset
        let v = try readString(qname: qname)
        if minLength > 0 || maxLength < Int.max {
            let n = v.unicodeScalars.count
            guard n >= minLength, n <= maxLength else { throw EXIError.lengthOutside(n, minLength, maxLength, binary: false, at: at) }
        }
        return v
    }

    @inlinable
    public mutating func readBinaryValue(minLength: Int, maxLength: Int) throws(EXIError) -> [UInt8] {
        let at = bitOffset
        let v = try readBinary()
        guard v.count >= minLength, v.count <= maxLength else {
            throw EXIError.lengthOutside(v.count, minLength, maxLength, binary: true, at: at)
        }
        return v
    }

    @inlinable @inline(__always)
    public mutating func readEnumeration<E: EXIEnumeration>(bits: Int, as: E.Type) throws(EXIError) -> E {
        let at = bitOffset
        let i = try reader.read(bits: bits)
        guard let v = E(exiIndex: i) else { throw EXIError.noSuchEnumeration(i, at: at) }
        return v
    }
}

/// A generated document or fragment coder of one message set: an enum over its root elements.
public protocol EXIRootCoder: Sendable, Hashable, Codable {
    /// The root element's name, e.g. `SessionSetupReq`.
    var rootName: String { get }
    func encodeEXI(options: EXIEncoder.Options) throws(EXIError) -> [UInt8]
    /// Encodes into `bytes`, replacing what it held and reusing its storage: a buffer kept from
    /// message to message (a connection's send buffer, a benchmark loop) is allocated only until it
    /// has grown to the largest message. On an error `bytes` is left empty, its storage released.
    func encodeEXI(options: EXIEncoder.Options, into bytes: inout [UInt8]) throws(EXIError)
    static func decodeEXI(_ bytes: [UInt8]) throws(EXIError) -> Self
    /// How many root elements `exiRandom(root:_:depth:)` can make.
    static var rootCount: Int { get }
    static func exiRandom<R: RandomNumberGenerator>(root: Int, _ r: inout R, depth: Int) -> Self
}

extension EXIRootCoder {
    /// Encodes into a new array.
    @inlinable
    public func encodeEXI(options: EXIEncoder.Options = .default) throws(EXIError) -> [UInt8] {
        var bytes: [UInt8] = []
        try encodeEXI(options: options, into: &bytes)
        return bytes
    }
}
