/// The value part of the EXI string table (EXI 1.0 §7.3.3): one global value partition and one
/// local partition per element/attribute qname. Qnames are identified by small integers that the
/// generator assigns once for every schema, so types shared between message sets agree.
///
/// Capacity is unbounded (the V2G header transmits no options), but every entry was a string that
/// the input carried, so memory is bounded by the input size.
public struct StringTable: Sendable {
    @usableFromInline var global: [String] = []
    @usableFromInline var globalIndex: [String: Int] = [:]
    @usableFromInline var local: [Int: [Int]] = [:]
    @usableFromInline var localIndex: [Int: [String: Int]] = [:]
    @usableFromInline let indexed: Bool

    /// `indexed` keeps reverse maps for the encoder's hit lookups; the decoder does not need them.
    public init(indexed: Bool) { self.indexed = indexed }

    @inlinable public var globalCount: Int { global.count }
    @inlinable public func localCount(_ qname: Int) -> Int { local[qname]?.count ?? 0 }

    @inlinable
    public mutating func add(_ value: String, qname: Int) {
        let id = global.count
        global.append(value)
        local[qname, default: []].append(id)
        if indexed {
            globalIndex[value] = id
            localIndex[qname, default: [:]][value] = (local[qname]?.count ?? 1) - 1
        }
    }

    @inlinable public func localHit(_ value: String, qname: Int) -> Int? { localIndex[qname]?[value] }
    @inlinable public func globalHit(_ value: String) -> Int? { globalIndex[value] }

    @inlinable
    public func localValue(_ qname: Int, _ id: Int) -> String? {
        guard let ids = local[qname], id < ids.count else { return nil }
        return global[ids[id]]
    }

    @inlinable
    public func globalValue(_ id: Int) -> String? { id < global.count ? global[id] : nil }
}
