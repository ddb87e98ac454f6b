/// Keeps a large, optional, rarely present value out of line, so the struct that holds it stays
/// small to copy. The generator puts it on optional xmldsig `Signature` fields: every -20 message
/// header has one (144 bytes inline), almost none carries it, and headers are copied with every
/// message. Value semantics are kept: the box is immutable and replaced on every write.
@propertyWrapper
public struct OutOfLine<Value: Sendable & Hashable>: Sendable, Hashable {
    @usableFromInline final class Box: Sendable {
        @usableFromInline let value: Value
        @usableFromInline init(_ value: Value) { self.value = value }
    }

    @usableFromInline var box: Box?

    @inlinable public init(wrappedValue: Value?) { box = wrappedValue.map(Box.init) }

    @inlinable public var wrappedValue: Value? {
        get { box?.value }
        set { box = newValue.map(Box.init) }
    }

    @inlinable public static func == (a: Self, b: Self) -> Bool { a.wrappedValue == b.wrappedValue }
    @inlinable public func hash(into hasher: inout Hasher) { hasher.combine(wrappedValue) }
}
