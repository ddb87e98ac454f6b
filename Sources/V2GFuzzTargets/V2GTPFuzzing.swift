import NIOCore
import V2GCapture
import V2GCodec
import V2GTP

/// V2GTP framing: the runtime's frame parser on the bytes at once and in two parts (split where
/// the first byte says) finds the same frames; the capture's stream framer reads the same parts;
/// each frame's document decodes or is refused.
enum V2GTPFuzzing {
    static func run(_ bytes: [UInt8]) throws(FuzzFinding) {
        guard let first = bytes.first else { return }
        let input = Array(bytes.dropFirst())
        let parser = V2GTPFrameParser(maximumPayload: 4096)
        // The runtime's way: one buffer that grows as TCP delivers.
        var whole = ByteBuffer(bytes: input)
        var frames: [V2GTPFrame] = []
        while let frame = try? parser.parse(&whole) { frames.append(frame) }
        let split = input.isEmpty ? 0 : Int(first) % (input.count + 1)
        var buffer = ByteBuffer(bytes: input[..<split])
        var parts: [V2GTPFrame] = []
        var failed = false
        for next in [Array(input[split...]), []] {
            while !failed {
                do {
                    guard let frame = try parser.parse(&buffer) else { break }
                    parts.append(frame)
                } catch { failed = true }
            }
            buffer.writeBytes(next)
        }
        if parts != frames {
            throw FuzzFinding(.v2gtp, "the parser found \(parts.count) frames when the bytes came in two parts, \(frames.count) at once")
        }
        // The capture's framer on the same parts (it resynchronises rather than stopping): where
        // the parser met nothing wrong, it finds the same frames first.
        var framer = V2GTPStreamFramer()
        let events = framer.append(Array(input[..<split])) + framer.append(Array(input[split...]))
        let framed = events.compactMap { if case .frame(let f, _) = $0 { return f }; return nil }
        if !failed, !framed.starts(with: frames) {
            throw FuzzFinding(.v2gtp, "the capture's framer found other frames than the parser (\(framed.count) and \(frames.count))")
        }
        for frame in frames { _ = try? V2GDocument.decode(v2gtpFrame: frame.bytes) }
    }
}
