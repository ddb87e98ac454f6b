import NIOCore

/// Incremental V2GTP framing over a byte stream: the pure core of the NIO decoder, so it can be
/// fuzzed without a channel. A frame's length is checked against `maximumPayload` from the header
/// alone, before any payload is buffered: the peer cannot make us allocate more than that.
public struct V2GTPFrameParser: Sendable {
    /// Large enough for a CertificateInstallationRes with full chains (several KB); OCPP sizes
    /// such messages up to 17,000 bytes (PROTOCOL-NOTES §2).
    public static let defaultMaximumPayload: UInt32 = 65_536

    public let maximumPayload: UInt32
    /// Accept payload types outside the -20 table (e.g. -2's 0x8001 is in; a vendor's 0xA000 is not).
    public let allowedTypes: Set<UInt16>

    public init(maximumPayload: UInt32 = defaultMaximumPayload,
                allowedTypes: Set<UInt16> = Set(V2GTPPayloadType.allCases.map(\.rawValue))) {
        self.maximumPayload = maximumPayload
        self.allowedTypes = allowedTypes
    }

    /// The next whole frame from `buffer`, nil if more bytes are needed. On an error the stream is
    /// unusable (V2GTP has no resynchronisation); the caller closes the connection.
    public func parse(_ buffer: inout ByteBuffer) throws(V2GTPError) -> V2GTPFrame? {
        guard buffer.readableBytes >= V2GTPHeader.size,
              let header = buffer.getBytes(at: buffer.readerIndex, length: V2GTPHeader.size) else { return nil }
        let h = try V2GTPHeader(parsing: header)
        guard allowedTypes.contains(h.payloadType) else { throw .unknownPayloadType(h.payloadType) }
        guard h.payloadLength <= maximumPayload else { throw .payloadTooLarge(length: h.payloadLength, maximum: maximumPayload) }
        let total = V2GTPHeader.size + Int(h.payloadLength)
        guard buffer.readableBytes >= total else { return nil }
        buffer.moveReaderIndex(forwardBy: V2GTPHeader.size)
        let payload = buffer.readBytes(length: Int(h.payloadLength)) ?? []
        return V2GTPFrame(payloadType: h.payloadType, payload: payload)
    }
}

/// NIO decoder: bytes → `V2GTPFrame`. A malformed header is an error in the pipeline (the
/// `V2GTPErrorHandler` closes the connection).
public struct V2GTPFrameDecoder: ByteToMessageDecoder, Sendable {
    public typealias InboundOut = V2GTPFrame
    let parser: V2GTPFrameParser

    public init(parser: V2GTPFrameParser = V2GTPFrameParser()) { self.parser = parser }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let frame = try parser.parse(&buffer) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(frame))
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        // The stream ended inside a frame: say what the frame's header announced, if it came.
        let left = buffer.readableBytes
        if left > 0 {
            guard left >= V2GTPHeader.size, let announced = buffer.getInteger(at: buffer.readerIndex + 4, as: UInt32.self) else {
                throw V2GTPError.truncatedHeader(left)
            }
            throw V2GTPError.truncatedPayload(expected: announced, actual: left - V2GTPHeader.size)
        }
        return .needMoreData
    }
}

/// NIO encoder: `V2GTPFrame` → bytes.
public struct V2GTPFrameEncoder: MessageToByteEncoder, Sendable {
    public typealias OutboundIn = V2GTPFrame
    public init() {}
    public func encode(data: V2GTPFrame, out: inout ByteBuffer) throws {
        out.writeBytes(V2GTPHeader(payloadType: data.payloadType, payloadLength: UInt32(data.payload.count)).bytes)
        out.writeBytes(data.payload)
    }
}

/// Closes the connection on a framing error, after telling `onError` why.
public final class V2GTPErrorHandler: ChannelInboundHandler, Sendable {
    public typealias InboundIn = V2GTPFrame
    public typealias InboundOut = V2GTPFrame
    let onError: @Sendable (any Error) -> Void

    public init(onError: @escaping @Sendable (any Error) -> Void = { _ in }) { self.onError = onError }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) { context.fireChannelRead(data) }

    public func errorCaught(context: ChannelHandlerContext, error: any Error) {
        onError(error)
        context.close(promise: nil)
    }
}
