import EXI
import ISO20Common
import Testing
import TestSupport
import V2GCodec

/// The codec's fast paths against plain reference readings: the bit reader's word loads near the
/// end of a stream, the Unsigned Integer decoder's seven-octet path, short strings decoded on the
/// stack, SessionID and GenChallenge kept inline, and encoding into a reused buffer.
@Suite(.offPool) struct HotPathTests {
    /// Bit `i` of `bytes`, most significant first: the definition the reader must agree with.
    static func bit(_ bytes: [UInt8], _ i: Int) -> UInt32 { UInt32(bytes[i / 8] >> (7 - UInt8(i % 8)) & 1) }

    /// Random widths read from every stream length 0…24 give the bits one by one would give, up
    /// to the last bit, and a read past the end is `endOfStream` at the offset where it started.
    @Test func bitReadsNearTheEndAgreeWithBitByBitReading() throws {
        var r = SeededRandom(seed: 15)
        for length in 0...24 {
            for _ in 0..<40 {
                let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &r) }
                var reader = BitReader(bytes)
                var position = 0
                while true {
                    let width = Int.random(in: 0...32, using: &r)
                    if position + width > length * 8 {
                        do {
                            _ = try reader.read(bits: width)
                            Issue.record("read \(width) bits at \(position) of \(length * 8)")
                        } catch {
                            #expect(error.kind == .endOfStream && error.bitOffset == position)
                        }
                        break
                    }
                    var expected: UInt32 = 0
                    for i in position..<position + width { expected = expected << 1 | Self.bit(bytes, i) }
                    #expect(try reader.read(bits: width) == expected, "length \(length), bit \(position), width \(width)")
                    position += width
                }
            }
        }
    }

    /// Unsigned Integers (§7.1.6) of every size, at every bit alignment and distance from the end,
    /// read back as written; one octet too many for 64 bits is an overflow, a cut one the end.
    @Test func unsignedIntegersAtEveryAlignmentAndDistanceFromTheEnd() throws {
        let values: [UInt64] = [0, 1, 127, 128, 16_383, 16_384, 1_795_542_185, UInt64(Int64.max), UInt64.max]
        for value in values {
            for lead in 0..<8 {
                for trail in 0..<10 {
                    var w = BitWriter()
                    w.write(0, bits: lead)
                    var e = EXIEncoder()
                    e.writeUnsigned(value)
                    let encoded = e.finish()
                    // Re-write the octets after `lead` bits (the encoder starts byte-aligned).
                    let octets = encoded.count
                    for b in encoded { w.write(UInt32(b), bits: 8) }
                    for _ in 0..<trail { w.write(0xFF, bits: 8) }
                    var reader = BitReader(w.finish())
                    _ = try reader.read(bits: lead)
                    #expect(try reader.readUnsigned() == value, "\(value) after \(lead) bits, \(trail) bytes before the end")
                    #expect(reader.bitOffset == lead + octets * 8)
                }
            }
        }
        // Eleven octets all flagged "more": more than 64 bits.
        // The largest value, 2⁶⁴ − 1: nine full groups and a last one of 1.
        var largest = BitReader([UInt8](repeating: 0xFF, count: 9) + [0x01])
        #expect(try largest.readUnsigned() == UInt64.max)
        for (bytes, kind) in [([UInt8](repeating: 0xFF, count: 9) + [0x02], EXIError.Kind.integerOverflow),  // 2⁶⁴
                              ([UInt8](repeating: 0x80, count: 9) + [0x81, 0x00], .integerOverflow),          // an eleventh group
                              ([0x80, 0x80, 0x80], .endOfStream)] {                                           // cut in the middle
            var reader = BitReader(bytes)
            do { _ = try reader.readUnsigned(); Issue.record("\(bytes) read") } catch { #expect(error.kind == kind) }
        }
    }

    /// Strings on both sides of the stack path's limit (16 characters), with 1- to 4-byte UTF-8
    /// characters, decode to what was encoded.
    @Test func stringsAroundTheShortStringLimit() throws {
        for length in [0, 1, 7, 15, 16, 17, 40] {
            for character in ["a", "é", "€", "𝄞"] {
                let value = String(repeating: character, count: length)
                var e = EXIEncoder()
                e.writeString(value, qname: 3)
                var d = EXIDecoder(e.finish())
                #expect(try d.readString(qname: 3) == value, "\(length) × \(character)")
            }
        }
        // A surrogate code point is not a Unicode scalar value, on either path.
        for length in [2, 20] {
            var e = EXIEncoder()
            e.writeUnsigned(UInt64(length + 2))
            for _ in 0..<length { e.writeUnsigned(0xD800) }
            var d = EXIDecoder(e.finish())
            do { _ = try d.readString(qname: 3); Issue.record("surrogates read") } catch { #expect(error.kind == .invalidCharacter) }
        }
    }

    /// A SessionID is kept inline; it behaves as its bytes do (equality, hashing, hex), and a
    /// value longer than the inline capacity is still exact.
    @Test func shortBinaryBehavesAsItsBytes() {
        let id: ShortBinary = [0x43, 0x5F, 0xC6, 0x9B, 0x67, 0xAC, 0xF6, 0x07]
        #expect(Array(id) == [0x43, 0x5F, 0xC6, 0x9B, 0x67, 0xAC, 0xF6, 0x07])
        #expect(id.count == 8 && id[7] == 0x07)
        #expect(id.description == "435FC69B67ACF607")
        #expect(id == ShortBinary([0x43, 0x5F, 0xC6, 0x9B, 0x67, 0xAC, 0xF6, 0x07]))
        #expect(id != ShortBinary([0x43, 0x5F, 0xC6, 0x9B, 0x67, 0xAC, 0xF6]))
        #expect(ShortBinary([0, 0]) != ShortBinary([0]), "a trailing zero byte is part of the value")
        #expect(Set([id, ShortBinary(Array(id)), [1, 2, 3, 4, 5, 6, 7, 8]]).count == 2)
        let long = ShortBinary(0..<40)
        #expect(long.count == 40 && Array(long) == Array(0..<40))
        #expect(long != ShortBinary(0..<16))
        #expect(long == ShortBinary(0..<40))
        #expect(ShortBinary(repeating: 7, count: 16) == ShortBinary([UInt8](repeating: 7, count: 16)))
        #expect(ShortBinary().isEmpty)
        // A sequence that can be read only once, longer than the inline capacity.
        var source = (0..<20).map(UInt8.init).makeIterator()
        let once = ShortBinary(AnySequence { AnyIterator { source.next() } })
        #expect(Array(once) == (0..<20).map(UInt8.init))
    }

    /// The schema's length facets hold for inline values both ways: a 9-byte SessionID is not
    /// encoded, and one announced with 9 bytes is not decoded.
    @Test func sessionIDLengthIsCheckedBothWays() throws {
        let tooLong = CommonMessagesDocument.sessionStopReq(SessionStopReqType(
            header: MessageHeaderType(sessionID: ShortBinary(repeating: 1, count: 9), timeStamp: 1), chargingSession: .terminate))
        #expect((#expect(throws: EXIError.self) { try tooLong.encodeEXI() })?.kind == .facetViolation)
        let seventeen = CommonMessagesDocument.sessionStopReq(SessionStopReqType(
            header: MessageHeaderType(sessionID: ShortBinary(repeating: 1, count: 17), timeStamp: 1), chargingSession: .terminate))
        #expect((#expect(throws: EXIError.self) { try seventeen.encodeEXI() })?.kind == .facetViolation)
        // The SessionID's length is the first octet after the SE(Header) and SE(SessionID) codes
        // and its CH code; announce 9 instead of 8 (and give the extra byte).
        let good = CommonMessagesDocument.sessionStopReq(SessionStopReqType(
            header: MessageHeaderType(sessionID: ShortBinary(repeating: 1, count: 8), timeStamp: 1), chargingSession: .terminate))
        var e = EXIEncoder()
        e.writeHeader()
        e.writeNBit(37, bits: 6)          // SE(SessionStopReq)
        e.writeNBit(0, bits: 1)           // SE(Header)
        e.writeNBit(0, bits: 1)           // SE(SessionID)
        e.writeNBit(0, bits: 1)           // CH
        e.writeUnsigned(9)
        for _ in 0..<9 { e.writeNBit(1, bits: 8) }
        let nine = e.finish()
        #expect(try CommonMessagesDocument.decodeEXI(try good.encodeEXI()) == good)
        #expect((#expect(throws: EXIError.self) { try CommonMessagesDocument.decodeEXI(nine) })?.kind == .facetViolation)
    }

    /// Encoding into a reused buffer gives the bytes a fresh encode gives, replaces what the
    /// buffer held, and keeps its storage; a failed encode leaves it empty.
    @Test func encodingIntoAReusedBuffer() throws {
        let messages: [CommonMessagesDocument] = [
            .sessionStopReq(SessionStopReqType(header: MessageHeaderType(sessionID: [1, 2, 3, 4, 5, 6, 7, 8], timeStamp: 9), chargingSession: .pause)),
            .sessionSetupReq(SessionSetupReqType(header: MessageHeaderType(sessionID: ShortBinary(repeating: 0, count: 8), timeStamp: 1),
                                                 evccid: "WMIV1234567890ABCDEX")),
        ]
        var buffer = [UInt8](repeating: 0xEE, count: 300)
        for m in messages + messages {
            let before = buffer.withUnsafeBufferPointer { $0.baseAddress }
            try m.encodeEXI(options: .default, into: &buffer)
            #expect(buffer == (try m.encodeEXI()))
            #expect(buffer.withUnsafeBufferPointer { $0.baseAddress } == before, "the same storage")
        }
        let invalid = CommonMessagesDocument.sessionStopReq(SessionStopReqType(
            header: MessageHeaderType(sessionID: [1], timeStamp: 1), chargingSession: .terminate))
        #expect(throws: EXIError.self) { try invalid.encodeEXI(options: .default, into: &buffer) }
        #expect(buffer.isEmpty)
    }
}
