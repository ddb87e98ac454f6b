/// Lenient readers for the JSON shape of EXIficient-based tools (Josev), used by generated
/// `Codable` conformances. Writing always produces the canonical shape; reading also accepts the
/// variants real tools emit (integral numbers written as `12.0`, a repeated element that occurs
/// once written as an object instead of a one-element array).

/// An integer that also accepts an integral floating-point number or a decimal string.
public struct JSONInteger<T: FixedWidthInteger & Codable>: Decodable {
    public let value: T
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let v = try? c.decode(T.self) { value = v; return }
        if let d = try? c.decode(Double.self), d.rounded() == d, let v = T(exactly: d) { value = v; return }
        if let s = try? c.decode(String.self), let v = T(s) { value = v; return }
        throw DecodingError.dataCorruptedError(in: c, debugDescription: "expected an integer that fits \(T.self)")
    }
}

/// xs:hexBinary as hex text.
public struct JSONHexBinary: Decodable {
    public let value: [UInt8]
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        guard let v = Hex.decode(try c.decode(String.self)) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "invalid hex")
        }
        value = v
    }
}

/// xs:base64Binary as base64 text.
public struct JSONBase64Binary: Decodable {
    public let value: [UInt8]
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        guard let v = Base64.decode(try c.decode(String.self)) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "invalid base64")
        }
        value = v
    }
}

/// A repeated element: an array, or a single value where a tool collapsed a one-element list.
public struct JSONList<T: Decodable>: Decodable {
    public let values: [T]
    public init(from decoder: any Decoder) throws {
        if var a = try? decoder.unkeyedContainer() {
            var out: [T] = []
            while !a.isAtEnd { out.append(try a.decode(T.self)) }
            values = out
        } else {
            values = [try T(from: decoder)]
        }
    }
}

/// The value of a JSON field that names which alternative of a choice is present.
public struct JSONChoiceError: Error, CustomStringConvertible {
    public let description: String
    public init(_ type: String, expected: [String]) {
        description = "\(type): expected one of \(expected.joined(separator: ", "))"
    }
}

/// Coding keys of a type with no content (`{}` in JSON).
public struct EmptyKeys: CodingKey {
    public var stringValue: String { "" }
    public var intValue: Int? { nil }
    public init?(stringValue: String) { nil }
    public init?(intValue: Int) { nil }
}

extension JSONHexBinary {
    /// The value of a type of at most 16 bytes.
    public var shortValue: ShortBinary { ShortBinary(value) }
}

extension JSONBase64Binary {
    /// The value of a type of at most 16 bytes.
    public var shortValue: ShortBinary { ShortBinary(value) }
}
