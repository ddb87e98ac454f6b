import NIOCore
import NIOEmbedded
import Testing
import TestSupport
import V2GTP
import EXI

@Suite(.offPool) struct V2GTPFramingTests {
    @Test func framesArriveWholeFromAnySplit() throws {
        let frames = [V2GTPFrame(payloadType: 0x8001, payload: [0x80, 0x40, 0x00, 0x40]),
                      V2GTPFrame(payloadType: 0x8002, payload: Array(repeating: 7, count: 300)),
                      V2GTPFrame(payloadType: 0x8004, payload: [])]
        let stream = frames.flatMap(\.bytes)
        for chunk in [1, 3, 8, 100, stream.count] {
            let channel = EmbeddedChannel(handler: ByteToMessageHandler(V2GTPFrameDecoder()))
            var i = 0
            while i < stream.count {
                try channel.writeInbound(channel.allocator.buffer(bytes: stream[i..<min(i + chunk, stream.count)]))
                i += chunk
            }
            var got: [V2GTPFrame] = []
            while let f = try channel.readInbound(as: V2GTPFrame.self) { got.append(f) }
            #expect(got == frames, "chunk \(chunk)")
            _ = try channel.finish()
        }
    }

    @Test func malformedHeadersAreTypedErrorsAndCloseTheConnection() throws {
        let cases: [([UInt8], V2GTPError)] = [
            ([0x02, 0xFD, 0x80, 0x02, 0, 0, 0, 0], .unsupportedVersion(2)),
            ([0x01, 0xFF, 0x80, 0x02, 0, 0, 0, 0], .inverseVersionMismatch(0xFF)),
            ([0x01, 0xFE, 0x70, 0x00, 0, 0, 0, 0], .unknownPayloadType(0x7000)),
            ([0x01, 0xFE, 0x80, 0x02, 0xFF, 0xFF, 0xFF, 0xFF], .payloadTooLarge(length: 0xFFFF_FFFF, maximum: 65_536)),
        ]
        for (bytes, expected) in cases {
            let seen = Box<V2GTPError?>(nil)
            let channel = EmbeddedChannel()
            try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(V2GTPFrameDecoder()))
            try channel.pipeline.syncOperations.addHandler(V2GTPErrorHandler { seen.value = $0 as? V2GTPError })
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
            _ = try? channel.writeInbound(channel.allocator.buffer(bytes: bytes))
            #expect(seen.value == expected)
            #expect(!channel.isActive, "connection closed after \(expected)")
        }
        // A truncated frame at the end of the stream is an error too.
        let parser = V2GTPFrameParser()
        var buffer = ByteBufferAllocator().buffer(bytes: [0x01, 0xFE, 0x80, 0x02, 0, 0, 0, 9, 1, 2])
        #expect(try parser.parse(&buffer) == nil)
    }

    /// A stream that ends inside a frame is a truncation (a lost connection, not a malformed
    /// frame), and the error says what the header announced and how much came.
    @Test func aStreamEndingInsideAFrameSaysWhatWasMissing() throws {
        for (bytes, expected) in [([UInt8]([0x01, 0xFE, 0x80, 0x02, 0, 0, 0, 9, 1, 2]), V2GTPError.truncatedPayload(expected: 9, actual: 2)),
                                  ([0x01, 0xFE, 0x80], .truncatedHeader(3))] {
            let channel = EmbeddedChannel(handler: ByteToMessageHandler(V2GTPFrameDecoder()))
            try channel.writeInbound(ByteBufferAllocator().buffer(bytes: bytes))
            #expect(throws: expected) { try channel.finish() }
            #expect(expected.isTruncation)
        }
    }

    /// 100,000 seeded random and mutated byte streams through the parser: each ends in frames, a
    /// need for more data, or a typed error; never a crash or an allocation the header did not allow.
    @Test func fuzzFrameParser() throws {
        var rng = SeededRandom(seed: 15118)
        let parser = V2GTPFrameParser(maximumPayload: 4096)
        let valid = V2GTPFrame(payloadType: 0x8002, payload: Array(repeating: 0x5A, count: 40)).bytes
        var frames = 0, errors = 0, partial = 0
        for i in 0..<100_000 {
            var bytes: [UInt8]
            if i % 2 == 0 {
                bytes = (0..<Int.random(in: 0...40, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
                if i % 4 == 0 { bytes = [0x01, 0xFE] + bytes }
            } else {
                bytes = valid + valid
                for _ in 0..<Int.random(in: 1...3, using: &rng) {
                    bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                }
                bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &rng)))
            }
            var buffer = ByteBufferAllocator().buffer(bytes: bytes)
            do {
                while let f = try parser.parse(&buffer) {
                    #expect(f.payload.count <= 4096)
                    frames += 1
                }
                partial += 1
            } catch {
                errors += 1
            }
        }
        #expect(errors > 0 && frames > 0)
        print("v2gtp fuzz: 100000 streams, \(frames) frames, \(errors) typed errors, \(partial) incomplete")
    }
}

final class Box<T>: @unchecked Sendable {
    var value: T
    init(_ v: T) { value = v }
}
