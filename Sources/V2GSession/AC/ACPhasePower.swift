import ISO20Common

/// A power on the AC side, per phase, in watts (negative: from the EV to the grid, AC_BPT).
///
/// The -20 AC messages carry a power in up to three elements. `X` alone is the total over the
/// phases in use, shared evenly on a three-phase connection; with `X_L2` or `X_L3` present, `X`
/// is phase L1 only ([V2G20-1815]–[V2G20-1819]). A charger sends the per-phase form only to an EV
/// that did ([V2G20-1822]). The engine reasons in totals; this type is the one place that splits
/// a total into elements and reads elements back into a total.
public struct ACPhasePower: Sendable, Hashable {
    public var l1: Double
    public var l2: Double?
    public var l3: Double?

    public init(l1: Double, l2: Double? = nil, l3: Double? = nil) {
        self.l1 = l1; self.l2 = l2; self.l3 = l3
    }

    /// `total` in `phases` elements: 1 (`X` alone, the total) or 3 (per phase, shared evenly;
    /// anything else counts as 1).
    public init(total: Double, phases: Int) {
        if phases == 3 {
            let each = total / 3
            self.init(l1: each, l2: each, l3: each)
        } else {
            self.init(l1: total)
        }
    }

    /// The message's three elements read back: `X`, `X_L2`, `X_L3`.
    public init(_ l1: RationalNumberType, _ l2: RationalNumberType?, _ l3: RationalNumberType?) {
        self.init(l1: l1.doubleValue, l2: l2?.doubleValue, l3: l3?.doubleValue)
    }

    /// The sum over the phases present.
    public var total: Double { l1 + (l2 ?? 0) + (l3 ?? 0) }

    /// Whether the elements are per phase (`X_L2` or `X_L3` present).
    public var isPerPhase: Bool { l2 != nil || l3 != nil }

    /// As the message's elements: `X`, `X_L2`, `X_L3`.
    var rational: (RationalNumberType, RationalNumberType?, RationalNumberType?) {
        (RationalNumberType(l1), l2.map { RationalNumberType($0) }, l3.map { RationalNumberType($0) })
    }
}
