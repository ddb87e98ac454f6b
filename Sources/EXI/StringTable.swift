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
    /// Every value with the qname it was added under, in one list: one allocation, not two.
    @usableFromInline var entries: [Entry] = []
    /// Reverse maps for an encoder that emits hits. A decoder has none, so making its table costs
    /// nothing and a document without strings allocates nothing.
    @usableFromInline var index: HitIndex?

    @inlinable
    public init(indexed: Bool) { index = indexed ? HitIndex() : nil }

    @usableFromInline struct Entry: Sendable {
        @usableFromInline let value: String
        @usableFromInline let qname: Int32
        @inlinable init(value: String, qname: Int32) { self.value = value; self.qname = qname }
    }

    @usableFromInline struct HitIndex: Sendable {
        @usableFromInline var global: [String: Int] = [:]
        @usableFromInline var local: [Int: [String: Int]] = [:]
        @usableFromInline var localCounts: [Int: Int] = [:]
        @usableFromInline init() {}
    }

    @inlinable public var globalCount: Int { entries.count }

    @inlinable
    public func localCount(_ qname: Int) -> Int {
        if let index { return index.localCounts[qname] ?? 0 }
        var n = 0
        for e in entries where e.qname == Int32(truncatingIfNeeded: qname) { n += 1 }
        return n
    }

    @inlinable
    public mutating func add(_ value: String, qname: Int) {
        if index != nil {
            index!.global[value] = entries.count
            let local = index!.localCounts[qname] ?? 0
            index!.local[qname, default: [:]][value] = local
            index!.localCounts[qname] = local + 1
        }
        // Most documents carry a handful of strings: room for eight at the first one.
        if entries.isEmpty { entries.reserveCapacity(8) }
        entries.append(Entry(value: value, qname: Int32(truncatingIfNeeded: qname)))
    }

    @inlinable public func localHit(_ value: String, qname: Int) -> Int? { index?.local[qname]?[value] }
    @inlinable public func globalHit(_ value: String) -> Int? { index?.global[value] }

    @inlinable
    public func localValue(_ qname: Int, _ id: Int) -> String? {
        var k = 0
        for e in entries where e.qname == Int32(truncatingIfNeeded: qname) {
            if k == id { return e.value }
            k += 1
        }
        return nil
    }

    @inlinable
    public func globalValue(_ id: Int) -> String? { id >= 0 && id < entries.count ? entries[id].value : nil }
}
