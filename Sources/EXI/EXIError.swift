/// The one error type of the EXI layer. Every failure names what was wrong, where in the stream
/// (bit offset) and where in the document (the element path, outermost first).
public struct EXIError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        /// The stream ended before the grammar allowed it to.
        case endOfStream
        /// The first byte is not the V2G EXI header `0x80`.
        case invalidHeader
        /// An event code outside the productions of the current grammar state.
        case invalidEventCode
        /// A second- or third-level event (non-strict extension: xsi:type, xsi:nil, SE(*), CH, …)
        /// that the V2G profile does not use and this codec does not decode.
        case undeclaredEvent
        /// An event the encoder cannot emit in the current grammar state (a required field is
        /// missing, an array is longer than maxOccurs, a field came out of order).
        case unexpectedEvent
        /// A value violates a schema facet (range, length, enumeration, pattern of an ID).
        case facetViolation
        /// A length or count that is larger than the rest of the input could hold.
        case lengthExceedsInput
        /// An unsigned integer longer than its Swift type holds.
        case integerOverflow
        /// A string character that is not a Unicode scalar value.
        case invalidCharacter
        /// A string-table reference to an entry that does not exist.
        case invalidStringTableReference
        /// A feature of EXI the V2G profile does not use (wildcard content, mixed text).
        case unsupported
        /// Bytes remain after the end of the document that are not padding.
        case trailingData
        /// JSON input that does not fit the schema.
        case invalidJSON
    }

    public var kind: Kind
    public var message: String
    /// Bit offset into the EXI stream (including the header byte) where the problem was found.
    public var bitOffset: Int?
    /// Element names from the document root down to the failing field.
    public var path: [String]

    public init(_ kind: Kind, _ message: String, bitOffset: Int? = nil, path: [String] = []) {
        self.kind = kind
        self.message = message
        self.bitOffset = bitOffset
        self.path = path
    }

    public var description: String {
        var s = "\(kind.rawValue): \(message)"
        if !path.isEmpty { s += " at \(path.joined(separator: "/"))" }
        if let bitOffset { s += " (bit \(bitOffset))" }
        return s
    }

    /// Returns the error with `name` prepended to its path; generated code calls this as an error
    /// leaves an element, so the final path reads from the root down.
    @inlinable
    public func within(_ name: StaticString) -> EXIError {
        var e = self
        e.path.insert(name.description, at: 0)
        return e
    }
}

// Out-of-line constructors for the errors of the decoder's hot paths. The checks are inlined into
// every generated walker; building the message text is not, so it stays out of the instruction
// cache until an error actually happens.
extension EXIError {
    @usableFromInline @inline(never)
    static func invalidHeader(_ byte: UInt32) -> EXIError {
        EXIError(.invalidHeader, "EXI header byte is 0x\(String(byte, radix: 16)), the V2G profile requires 0x80", bitOffset: 0)
    }

    @usableFromInline @inline(never)
    static func trailingData(bytes: Int, at: Int) -> EXIError {
        EXIError(.trailingData, "\(bytes) bytes after the end of the document", bitOffset: at)
    }

    @usableFromInline @inline(never)
    static func endOfStream(needed bits: Int, at: Int) -> EXIError {
        EXIError(.endOfStream, "needed \(bits) more bits", bitOffset: at)
    }

    @usableFromInline @inline(never)
    static func integerOverflow(signed: Bool, at: Int) -> EXIError {
        EXIError(.integerOverflow, signed ? "integer does not fit in 64 bits" : "unsigned integer does not fit in 64 bits", bitOffset: at)
    }

    @usableFromInline @inline(never)
    static func bytesExceedInput(_ count: Int, remainingBits: Int, at: Int) -> EXIError {
        EXIError(.lengthExceedsInput, "\(count) bytes announced, \(remainingBits / 8) left", bitOffset: at)
    }

    @usableFromInline @inline(never)
    static func lengthExceedsInput(_ length: UInt64, remainingBits: Int, at: Int) -> EXIError {
        EXIError(.lengthExceedsInput, "length \(length) exceeds what the remaining \(remainingBits) bits can hold", bitOffset: at)
    }

    @usableFromInline @inline(never)
    static func outside(_ value: Int64, _ min: Int64, _ max: Int64, at: Int) -> EXIError {
        EXIError(.facetViolation, "\(value) is outside \(min)...\(max)", bitOffset: at)
    }

    @usableFromInline @inline(never)
    static func outside(_ value: UInt64, _ min: UInt64, _ max: UInt64, at: Int) -> EXIError {
        EXIError(.facetViolation, "\(value) is outside \(min)...\(max)", bitOffset: at)
    }

    @usableFromInline @inline(never)
    static func aboveMaximum(_ value: Int64, _ max: Int64, at: Int) -> EXIError {
        EXIError(.facetViolation, "\(value) is above the maximum \(max)", bitOffset: at)
    }

    @usableFromInline @inline(never)
    static func noSuchEnumeration(_ index: UInt32, at: Int) -> EXIError {
        EXIError(.facetViolation, "enumeration index \(index) does not exist", bitOffset: at)
    }

    @usableFromInline @inline(never)
    static func lengthOutside(_ count: Int, _ min: Int, _ max: Int, binary: Bool, at: Int) -> EXIError {
        EXIError(.facetViolation, "\(binary ? "\(count) bytes" : "string of \(count) characters"), allowed \(min)...\(max)", bitOffset: at)
    }

    @usableFromInline @inline(never)
    static func secondLevelEvent(instead what: StaticString, at: Int) -> EXIError {
        EXIError(.undeclaredEvent, "second-level event instead of \(what)", bitOffset: at)
    }
}
