import ISO20Common

extension RationalNumberType {
    /// The closest value·10^exponent to `x` whose value fits xs:short: the smallest exponent from
    /// -3 (milli) upwards that holds it, so small quantities keep their precision.
    public init(_ x: Double) {
        // A non-finite quantity (a division by a zero the peer sent, say) is reported as 0.
        let x = x.isFinite ? x : 0
        var exponent: Int8 = -3
        var scaled = (x * 1000).rounded()
        while abs(scaled) > 32_767 && exponent < 10 {
            exponent += 1
            var p = 1.0
            for _ in 0..<Int(exponent + 3) { p *= 10 }
            scaled = (x * 1000 / p).rounded()
        }
        self.init(exponent: exponent, value: Int16(max(-32_768, min(32_767, scaled))))
    }

    /// value·10^exponent, for every exponent the schema allows (Int8: -128 ... 127; the peer
    /// chooses it, so -exponent must not be taken in Int8, where -(-128) overflows).
    public var doubleValue: Double {
        var r = Double(value)
        let e = Int(exponent)
        if e >= 0 { for _ in 0..<e { r *= 10 } } else { for _ in 0..<(-e) { r /= 10 } }
        return r
    }
}
