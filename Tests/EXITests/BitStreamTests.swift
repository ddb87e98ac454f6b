import EXI
import Testing

@Suite struct BitStreamTests {
    @Test func bitsArePackedMostSignificantFirst() throws {
        var w = BitWriter()
        w.write(0b10, bits: 2)
        w.write(0b0, bits: 1)
        w.write(0b00000, bits: 5)
        w.write(0b101, bits: 3)
        #expect(w.finish() == [0x80, 0xA0])
        var r = BitReader([0x80, 0xA0])
        #expect(try r.read(bits: 2) == 2)
        #expect(try r.read(bits: 6) == 0)
        #expect(try r.read(bits: 3) == 5)
        #expect(throws: EXIError.self) { try r.read(bits: 6) }
    }

    @Test(arguments: [UInt64(0), 1, 127, 128, 300, 16_383, 16_384, 1_700_000_000, UInt64.max])
    func unsignedIntegersRoundTrip(value: UInt64) throws {
        var e = EXIEncoder()
        e.writeUnsigned(value)
        let bytes = e.finish()
        var groups = 1
        var v = value >> 7
        while v > 0 { groups += 1; v >>= 7 }
        #expect(bytes.count == groups)
        var d = EXIDecoder(bytes)
        #expect(try d.readUnsigned() == value)
    }

    @Test func unsignedIntegerOverflowIsATypedError() {
        var d = EXIDecoder([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02])
        #expect { try d.readUnsigned() } throws: { ($0 as? EXIError)?.kind == .integerOverflow }
    }

    @Test(arguments: [Int64(0), 1, -1, -128, 127, Int64.min, Int64.max, -32768])
    func integersRoundTrip(value: Int64) throws {
        var e = EXIEncoder()
        e.writeInteger(value)
        var d = EXIDecoder(e.finish())
        #expect(try d.readInteger() == value)
    }

    @Test func bigIntegersRoundTripThroughDecimal() throws {
        for text in ["0", "1", "-1", "47456", "-129", "1461501637330902918203684832716283019655932542975", "-99999999999999999999999"] {
            let b = try #require(BigInteger(decimal: text))
            #expect(b.description == text)
            var e = EXIEncoder()
            e.writeInteger(b)
            var d = EXIDecoder(e.finish())
            #expect(try d.readBigInteger() == b)
        }
        #expect(BigInteger(decimal: "12x") == nil)
        #expect(BigInteger(-5).description == "-5")
    }

    @Test func stringsCountCodePointsNotBytes() throws {
        var e = EXIEncoder()
        e.writeString("Ünïcødé ⚡", qname: 0)
        var d = EXIDecoder(e.finish())
        #expect(try d.readString(qname: 0) == "Ünïcødé ⚡")
        // A surrogate code point is not a Unicode scalar.
        var w = BitWriter()
        w.write(3, bits: 8)            // length 1 + 2
        w.write(0xB0 | 0x80, bits: 8)  // 0xD800 as 7-bit groups: 0x00|0x80, 0x30|0x80, 0x03
        w.write(0xB0, bits: 8)
        w.write(0x03, bits: 8)
        var bad = EXIDecoder(w.finish())
        #expect(throws: EXIError.self) { try bad.readString(qname: 0) }
    }

    @Test func hexAndBase64() {
        #expect(Hex.encode([0x0A, 0xFF]) == "0AFF")
        #expect(Hex.decode("0aFf") == [0x0A, 0xFF])
        #expect(Hex.decode("0a0") == nil)
        for n in 0..<8 {
            let bytes = (0..<n).map { UInt8($0 * 37 & 0xFF) }
            #expect(Base64.decode(Base64.encode(bytes)) == bytes)
        }
        #expect(Base64.encode(Array("Man".utf8)) == "TWFu")
        #expect(Base64.decode("TW E=") == Array("Ma".utf8))
        #expect(Base64.decode("T@==") == nil)
    }

    @Test func grammarWidths() {
        #expect(Grammar.width(1) == 0)
        #expect(Grammar.width(2) == 1)
        #expect(Grammar.width(3) == 2)
        #expect(Grammar.width(64) == 6)
        #expect(Grammar.width(65) == 7)
    }
}
