/// The fuzz targets: each takes arbitrary bytes, runs one of our decoders or state machines on
/// them, and checks what must hold whatever the bytes are. A broken rule is a `FuzzFinding`
/// (the libFuzzer harnesses in Fuzz/ trap on it, so libFuzzer saves the input); a crash, a hang
/// or unbounded memory is libFuzzer's and the sanitizers' to find. The same targets replay the
/// seeds and every saved finding in `swift test` (`FuzzRegressionTests`).
public enum FuzzTarget: String, Sendable, CaseIterable {
    /// The EXI decoder of each message set, documents and signable fragments.
    case exi
    /// V2GTP framing: the frame parser, the runtime's NIO decoder, the capture's stream framer.
    case v2gtp
    /// SDP requests and responses, wired and wireless.
    case sdp
    /// The capture reader and `v2g trace`: pcap/pcapng, IP, TCP reassembly, V2GTP, TLS records.
    case capture
    /// PEM blocks, X.509 (swift-certificates and OpenSSL), encrypted PKCS#8.
    case pki
    /// The SECC engine fed a sequence of frames and timer events.
    case secc
    /// The EVCC engine fed a sequence of frames and timer events.
    case evcc

    /// Runs the target on one input.
    public func run(_ bytes: [UInt8]) throws(FuzzFinding) {
        switch self {
        case .exi: try EXIFuzzing.run(bytes)
        case .v2gtp: try V2GTPFuzzing.run(bytes)
        case .sdp: try SDPFuzzing.run(bytes)
        case .capture: try CaptureFuzzing.run(bytes)
        case .pki: try PKIFuzzing.run(bytes)
        case .secc: try SECCFuzzing.run(bytes)
        case .evcc: try EVCCFuzzing.run(bytes)
        }
    }
}

/// A rule a fuzz target checks, broken by an input.
public struct FuzzFinding: Error, Sendable, CustomStringConvertible {
    public var target: FuzzTarget
    public var text: String
    public init(_ target: FuzzTarget, _ text: String) { self.target = target; self.text = text }
    public var description: String { "\(target.rawValue): \(text)" }
}
