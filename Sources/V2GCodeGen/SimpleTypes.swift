/// How a simple type maps to an EXI datatype representation (EXI 1.0 §7.1, Table 7-1) and to Swift.
enum IntegerRepresentation: Equatable {
    /// n-bit unsigned integer offset from the minimum (bounded range of at most 4096 values).
    case nBit(bits: Int, offset: Int64)
    /// Unsigned integer (the value space has a minimum ≥ 0).
    case unsigned
    /// Integer with a sign bit.
    case signed
}

enum LeafType: Equatable {
    case boolean
    case integer(swift: String, repr: IntegerRepresentation, min: Int64?, max: UInt64?)
    case bigInteger(unsignedOnly: Bool)
    case string(minLength: Int?, maxLength: Int?)
    case hexBinary(minLength: Int?, maxLength: Int?)
    case base64Binary(minLength: Int?, maxLength: Int?)
    case enumeration(swift: String, values: [String], namespace: String)

    var swiftType: String {
        switch self {
        case .boolean: return "Bool"
        case .integer(let s, _, _, _): return s
        case .bigInteger: return "BigInteger"
        case .string: return "String"
        case .hexBinary, .base64Binary: return isShortBinary ? "ShortBinary" : "[UInt8]"
        case .enumeration(let s, _, _): return s
        }
    }

    /// `ShortBinary.inlineCapacity` (the generator does not link the EXI runtime; a test pins the two).
    static let shortBinaryCapacity = 16

    /// A binary type of at most `shortBinaryCapacity` bytes (SessionID, GenChallenge): generated as
    /// the inline `ShortBinary`, so messages carrying one decode without allocating.
    var isShortBinary: Bool {
        switch self {
        case .hexBinary(_, let maxL?), .base64Binary(_, let maxL?): return maxL <= Self.shortBinaryCapacity
        default: return false
        }
    }
}

/// Resolves simple type definitions against the XSD built-ins.
struct SimpleTypeResolver {
    let set: SchemaSet

    private static let builtinRanges: [String: (String, Int64?, UInt64?)] = [
        "byte": ("Int8", -128, 127), "unsignedByte": ("UInt8", 0, 255),
        "short": ("Int16", -32768, 32767), "unsignedShort": ("UInt16", 0, 65535),
        "int": ("Int32", Int64(Int32.min), UInt64(Int32.max)), "unsignedInt": ("UInt32", 0, UInt64(UInt32.max)),
        "long": ("Int64", Int64.min, UInt64(Int64.max)), "unsignedLong": ("UInt64", 0, UInt64.max),
    ]
    private static let stringTypes: Set<String> = ["string", "anyURI", "ID", "IDREF", "NCName", "Name", "token",
                                                   "normalizedString", "language", "NMTOKEN", "QName", "anySimpleType"]

    func resolve(_ ref: TypeRef) throws -> LeafType {
        switch ref {
        case .named(let q): return try resolve(named: q)
        case .simple(let s): return try resolve(decl: s, name: nil)
        case .complex: throw GeneratorError("complex type used as simple type")
        }
    }

    func resolve(named q: QName) throws -> LeafType {
        if q.uri == xsdNamespace { return try builtin(q.local) }
        guard let s = set.simpleTypes[q] else { throw GeneratorError("unknown simple type \(q)") }
        return try resolve(decl: s, name: q)
    }

    private func builtin(_ local: String) throws -> LeafType {
        if local == "boolean" { return .boolean }
        if let (swift, min, max) = Self.builtinRanges[local] { return integer(swift: swift, min: min, max: max) }
        if local == "integer" { return .bigInteger(unsignedOnly: false) }
        if local == "nonNegativeInteger" || local == "positiveInteger" { return .bigInteger(unsignedOnly: true) }
        if Self.stringTypes.contains(local) { return .string(minLength: nil, maxLength: nil) }
        if local == "hexBinary" { return .hexBinary(minLength: nil, maxLength: nil) }
        if local == "base64Binary" { return .base64Binary(minLength: nil, maxLength: nil) }
        throw GeneratorError("unsupported built-in type xs:\(local)")
    }

    /// The EXI rule for integers (§7.1.5 and Table 7-1): a bounded range of at most 4096 values is
    /// an n-bit unsigned integer offset from the minimum; otherwise a non-negative minimum makes it
    /// an unsigned integer; otherwise a signed integer.
    private func integer(swift: String, min: Int64?, max: UInt64?) -> LeafType {
        if let min, let max, max <= UInt64(Int64.max), Int64(max) >= min, UInt64(Int64(max) - min) < 4096 {
            let count = Int(Int64(max) - min) + 1
            let bits = count <= 1 ? 0 : Int.bitWidth - (count - 1).leadingZeroBitCount
            return .integer(swift: swift, repr: .nBit(bits: bits, offset: min), min: min, max: max)
        }
        if let min, min >= 0 { return .integer(swift: swift, repr: .unsigned, min: min, max: max) }
        return .integer(swift: swift, repr: .signed, min: min, max: max)
    }

    private func resolve(decl s: SimpleTypeDecl, name: QName?) throws -> LeafType {
        if s.itemType != nil { throw GeneratorError("xs:list types are not supported (\(name?.description ?? "anonymous"))") }
        if s.hasPattern { throw GeneratorError("pattern facets (restricted character sets) are not supported (\(name?.description ?? "anonymous"))") }
        guard let baseName = s.base else { throw GeneratorError("simple type without base") }
        let base = try resolve(named: baseName)
        if !s.enumerations.isEmpty {
            guard case .string = base else { throw GeneratorError("enumeration of non-string type \(name?.description ?? "")") }
            return .enumeration(swift: SwiftNames.typeName(name?.local ?? "Enumeration"), values: s.enumerations, namespace: name?.uri ?? "")
        }
        switch base {
        case .integer(let swift, _, var min, var max):
            if let v = s.minInclusive, let n = Int64(v) { min = Swift.max(min ?? n, n) }
            if let v = s.minExclusive, let n = Int64(v) { min = Swift.max(min ?? n + 1, n + 1) }
            if let v = s.maxInclusive, let n = UInt64(v) { max = Swift.min(max ?? n, n) }
            if let v = s.maxInclusive, let n = Int64(v), n < 0 { throw GeneratorError("negative maxInclusive \(n) unsupported") }
            if let v = s.maxExclusive, let n = UInt64(v) { max = Swift.min(max ?? n - 1, n - 1) }
            return integer(swift: swift, min: min, max: max)
        case .string(let minL, let maxL):
            return .string(minLength: s.length ?? s.minLength ?? minL, maxLength: s.length ?? s.maxLength ?? maxL)
        case .hexBinary(let minL, let maxL):
            return .hexBinary(minLength: s.length ?? s.minLength ?? minL, maxLength: s.length ?? s.maxLength ?? maxL)
        case .base64Binary(let minL, let maxL):
            return .base64Binary(minLength: s.length ?? s.minLength ?? minL, maxLength: s.length ?? s.maxLength ?? maxL)
        default:
            return base
        }
    }
}
