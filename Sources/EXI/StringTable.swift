/// The value part of the EXI string table (EXI 1.0 §7.3.3): one global value partition and one
/// local partition per element/attribute qname. Qnames are identified by small integers that the
/// generator assigns once for every schema, so types shared between message sets agree.
///
/// Entries are kept in one list in the order they were added: an entry's index is its global
/// compact id, and the k-th entry of a qname is that qname's local compact id k. Adding is one
/// append; a hit (rare on the wire) scans the list. Capacity is unbounded (the V2G header
/// transmits no options), but every entry was a string the input carried, so memory is bounded by
/// the input size.
public struct StringTable: Sendable {
    @usableFromInline var values: [String] = []
    @usableFromInline var qnames: [Int32] = []
    /// Reverse maps for an encoder that emits hits; a decoder does not need them.
    @usableFromInline var globalIndex: [String: Int] = [:]
    @usableFromInline var localIndex: [Int: [String: Int]] = [:]
    @usableFromInline var localCounts: [Int: Int] = [:]
    @usableFromInline let indexed: Bool

    public init(indexed: Bool) { self.indexed = indexed }

    @inlinable public var globalCount: Int { values.count }

    @inlinable
    public func localCount(_ qname: Int) -> Int {
        if indexed { return localCounts[qname] ?? 0 }
        var n = 0
        for q in qnames where q == Int32(truncatingIfNeeded: qname) { n += 1 }
        return n
    }

    @inlinable
    public mutating func add(_ value: String, qname: Int) {
        if indexed {
            globalIndex[value] = values.count
            let local = localCounts[qname] ?? 0
            localIndex[qname, default: [:]][value] = local
            localCounts[qname] = local + 1
        }
        values.append(value)
        qnames.append(Int32(truncatingIfNeeded: qname))
    }

    @inlinable public func localHit(_ value: String, qname: Int) -> Int? { localIndex[qname]?[value] }
    @inlinable public func globalHit(_ value: String) -> Int? { globalIndex[value] }

    @inlinable
    public func localValue(_ qname: Int, _ id: Int) -> String? {
        var k = 0
        for (i, q) in qnames.enumerated() where q == Int32(truncatingIfNeeded: qname) {
            if k == id { return values[i] }
            k += 1
        }
        return nil
    }

    @inlinable
    public func globalValue(_ id: Int) -> String? { id >= 0 && id < values.count ? values[id] : nil }
}
