import EXI
import Foundation
import Testing
import TestSupport
import V2GCodec

/// Decoders fed random and mutated bytes: every case ends in a value or a typed `EXIError`; no
/// crash, no hang, no allocation larger than the input justifies. Seeded, so failures reproduce.
@Suite(.offPool) struct MalformedInputTests {
    static let casesPerSchema = 100_000

    @Test(arguments: MessageSchema.allCases)
    func randomAndMutatedBytes(schema: MessageSchema) throws {
        var rng = SeededRandom(seed: UInt64(MessageSchema.allCases.firstIndex(of: schema)!) &* 7919 &+ 15118)
        let seeds: [[UInt8]] = TestData.vectors.filter { $0.namespace == schema.namespace && $0.kind == "document" }
            .compactMap { Hex.decode($0.exiHex) }
        var values = 0, errors = 0
        let start = ContinuousClock.now
        for i in 0..<Self.casesPerSchema {
            var bytes: [UInt8]
            if seeds.isEmpty || i % 4 == 0 {
                // Random bytes after a valid header, so the grammar is exercised, not only the header check.
                let n = Int.random(in: 1...64, using: &rng)
                bytes = [0x80] + (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
            } else {
                bytes = seeds[Int.random(in: 0..<seeds.count, using: &rng)]
                switch Int.random(in: 0..<4, using: &rng) {
                case 0:  // flip bits
                    for _ in 0..<Int.random(in: 1...4, using: &rng) {
                        let p = Int.random(in: 0..<bytes.count, using: &rng)
                        bytes[p] ^= UInt8(1) << UInt8.random(in: 0...7, using: &rng)
                    }
                case 1:  // truncate
                    bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &rng)))
                case 2:  // overwrite a byte with an extreme value (large lengths)
                    let p = Int.random(in: 0..<bytes.count, using: &rng)
                    bytes[p] = [0xFF, 0x7F, 0x80, 0x00].randomElement(using: &rng)!
                default:  // splice random bytes in
                    let p = Int.random(in: 0...bytes.count, using: &rng)
                    bytes.insert(contentsOf: (0..<Int.random(in: 1...8, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }, at: p)
                }
            }
            do {
                _ = try V2GDocument.decode(bytes, schema: schema)
                values += 1
            } catch {
                errors += 1
            }
        }
        let elapsed = ContinuousClock.now - start
        #expect(values + errors == Self.casesPerSchema)
        #expect(errors > 0)
        // Bounded in time: 100,000 decodes take seconds; a hang or quadratic path fails here.
        #expect(elapsed < .seconds(120))
        print("malformed \(schema.rawValue): \(Self.casesPerSchema) cases, \(values) values, \(errors) typed errors, \(elapsed)")
    }

    /// A length field can never make the decoder allocate more than the input could hold.
    @Test func hugeLengthsAreRejectedBeforeAllocation() throws {
        // A string of 2^62 characters announced by a 9-byte unsigned integer.
        var w = BitWriter()
        for _ in 0..<8 { w.write(0xFF, bits: 8) }
        w.write(0x3F, bits: 8)
        var d = EXIDecoder(w.finish())
        #expect { try d.readString(qname: 0) } throws: { ($0 as? EXIError)?.kind == .lengthExceedsInput }
        var w2 = BitWriter()
        for _ in 0..<4 { w2.write(0xFF, bits: 8) }
        w2.write(0x0F, bits: 8)
        var d2 = EXIDecoder(w2.finish())
        #expect { try d2.readBinary() } throws: { ($0 as? EXIError)?.kind == .lengthExceedsInput }
    }

    @Test func wrongHeaderIsRejected() throws {
        #expect { try V2GDocument.decode([0x81, 0x00], schema: .common) } throws: { ($0 as? EXIError)?.kind == .invalidHeader }
        #expect { try V2GDocument.decode([], schema: .dc) } throws: { ($0 as? EXIError)?.kind == .endOfStream }
    }
}
