/// The value of a binary type (xs:hexBinary, xs:base64Binary) whose schema allows at most 16
/// bytes: SessionID (8) and GenChallenge (16) in ISO 15118-20. It is kept inline, so a message that
/// carries one (every -20 message has a SessionID in its header) decodes without a heap
/// allocation, and it reads as a collection of bytes like `[UInt8]`.
///
/// A longer value can only come from the caller (the decoder refuses one against the schema's
/// facets); it is kept on the heap and the encoder refuses it as a facet violation.
public struct ShortBinary: Sendable, Hashable, RandomAccessCollection, ExpressibleByArrayLiteral, CustomStringConvertible {
    /// Bytes 0..<16 in memory order; unused bytes are zero, so equal values have equal words.
    @usableFromInline var words: (UInt64, UInt64) = (0, 0)
    @usableFromInline var inlineCount: UInt8 = 0
    /// A value longer than 16 bytes, which no schema-valid SessionID or GenChallenge is.
    @usableFromInline var long: [UInt8]?

    /// The most bytes kept inline.
    public static let inlineCapacity = 16

    @inlinable public init() {}

    @inlinable
    public init(_ bytes: some Sequence<UInt8>) {
        var n = 0
        var iterator = bytes.makeIterator()  // one pass: the sequence may not be readable twice
        while let b = iterator.next() {
            if n == Self.inlineCapacity {
                var all = withUnsafeBytes(of: words) { Array($0) }
                all.append(b)
                while let more = iterator.next() { all.append(more) }
                long = all
                words = (0, 0)
                return
            }
            withUnsafeMutableBytes(of: &words) { $0[n] = b }
            n += 1
        }
        inlineCount = UInt8(n)
    }

    @inlinable public init(arrayLiteral elements: UInt8...) { self.init(elements) }

    @inlinable public init(repeating byte: UInt8, count: Int) { self.init(repeatElement(byte, count: count)) }

    /// Takes `count` (≤ 16) bytes from `source`; the decoder's path, which has checked the length.
    @inlinable
    init(copying source: UnsafeRawBufferPointer) {
        precondition(source.count <= Self.inlineCapacity, "ShortBinary(copying:) takes at most 16 bytes")
        withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: source) }
        inlineCount = UInt8(source.count)
    }

    // MARK: Collection

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { long?.count ?? Int(inlineCount) }

    @inlinable
    public subscript(position: Int) -> UInt8 {
        if let long { return long[position] }
        precondition(position >= 0 && position < Int(inlineCount), "ShortBinary index out of range")
        return withUnsafeBytes(of: words) { $0[position] }
    }

    @inlinable
    public func withContiguousStorageIfAvailable<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R? {
        if let long { return try long.withUnsafeBufferPointer(body) }
        let count = Int(inlineCount)
        return try withUnsafeBytes(of: words) { raw in
            try raw.withMemoryRebound(to: UInt8.self) { try body(UnsafeBufferPointer(rebasing: $0[..<count])) }
        }
    }

    // MARK: Equatable, Hashable

    @inlinable
    public static func == (a: ShortBinary, b: ShortBinary) -> Bool {
        if a.long == nil && b.long == nil {
            return a.inlineCount == b.inlineCount && a.words.0 == b.words.0 && a.words.1 == b.words.1
        }
        return a.elementsEqual(b)
    }

    @inlinable
    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for b in self { hasher.combine(b) }
    }

    /// Upper-case hex, as SessionIDs are usually shown.
    public var description: String { Hex.encode(Array(self)) }
}

extension EXIDecoder {
    /// A binary value of a type that allows at most 16 bytes, read without allocating.
    @inlinable
    public mutating func readShortBinaryValue(minLength: Int, maxLength: Int) throws(EXIError) -> ShortBinary {
        let at = bitOffset
        let n = try readLength(bitsPerItem: 8)
        guard n >= minLength, n <= maxLength, n <= ShortBinary.inlineCapacity else {
            throw EXIError.lengthOutside(n, minLength, maxLength, binary: true, at: at)
        }
        var chunk: (UInt64, UInt64) = (0, 0)
        try withUnsafeMutableBytes(of: &chunk) { (buffer) throws(EXIError) in
            for i in 0..<n { buffer[i] = UInt8(truncatingIfNeeded: try reader.read(bits: 8)) }
        }
        return withUnsafeBytes(of: chunk) { ShortBinary(copying: UnsafeRawBufferPointer(rebasing: $0[..<n])) }
    }
}

extension EXIEncoder {
    @inlinable
    public mutating func writeBinaryValue(_ v: ShortBinary, minLength: Int, maxLength: Int) throws(EXIError) {
        guard v.count >= minLength, v.count <= maxLength else {
            throw EXIError.lengthOutside(v.count, minLength, maxLength, binary: true, at: writer.bitCount)
        }
        writeBinary(v)
    }
}
