import EXI
import ISO20ACDP
import ISO20WPT

/// Known deviations of other ISO 15118-20 encoders from EXI 1.0 and the XSDs (PROTOCOL-NOTES §1.1),
/// and how a lenient decode accepts their bytes. We always encode per the specification; a lenient
/// decode first tries the specification and uses a deviation only when that fails and the
/// deviating reading succeeds, so a stream that is valid both ways keeps its standard meaning.
public enum EncoderDeviation: String, CaseIterable, Sendable {
    /// cbexigen (libcbv2g) numbers the ACDP document roots ConnectReq 0, DisconnectReq 1,
    /// ConnectRes 2, DisconnectRes 3 (`ACDP_DisconnectReq/Res` reuse the Connect types); EXI 1.0
    /// §8.5.1 sorts by qname: ConnectReq, ConnectRes, DisconnectReq, DisconnectRes.
    case cbexigenACDPRootOrder
    /// cbexigen's grammar for an optional repeated element followed by an optional one
    /// (WPT `VendorSpecificDataContainer` 0..16, then `LF_…`) hides the following element from the
    /// zero-item state, so the end of the element has event code 1 where the schema grammar has 2.
    case cbexigenWPTListEnd

    /// The message set the deviation applies to.
    public var schema: MessageSchema {
        switch self {
        case .cbexigenACDPRootOrder: return .acdp
        case .cbexigenWPTListEnd: return .wpt
        }
    }

    /// Decodes `bytes` as the deviating encoder meant them.
    func decode(_ bytes: [UInt8]) throws(EXIError) -> V2GDocument {
        switch self {
        case .cbexigenACDPRootOrder:
            // Swap the two roots cbexigen numbers the other way round.
            return .acdp(try ACDPDocument.decodeEXI(bytes, rootCode: { $0 == 1 ? 2 : $0 == 2 ? 1 : $0 }, rootGrammar: nil))
        case .cbexigenWPTListEnd:
            return .wpt(try WPTDocument.decodeEXI(bytes, rootCode: nil, rootGrammar: Self.hideParticleAfterEmptyVendorList))
        }
    }

    /// In the first state that offers `VendorSpecificDataContainer`, another element and EE (the
    /// zero-item state of the list), keep only the container and EE, as cbexigen's grammar has it.
    static func hideParticleAfterEmptyVendorList(_ g: Grammar) -> Grammar {
        guard let container = g.terminal(named: "SE(VendorSpecificDataContainer)") else { return g }
        for s in 0..<g.stateCount {
            let p = g.productions(of: s).map(\.terminal)
            if p.count == 3, p[0] == container, p[2] == Grammar.endElement {
                return g.filteringProductions(of: s) { $0 == container || $0 == Grammar.endElement }
            }
        }
        return g
    }
}

extension V2GDocument {
    /// Decodes per the specification; if that fails, tries the `deviations` of the set in turn and
    /// returns the first reading that succeeds (with the deviation it needed). Throws the
    /// specification's error when none does.
    public static func decodeLeniently(_ bytes: [UInt8], schema: MessageSchema,
                                       deviations: [EncoderDeviation] = EncoderDeviation.allCases) throws(EXIError) -> (V2GDocument, EncoderDeviation?) {
        do {
            return (try decode(bytes, schema: schema), nil)
        } catch {
            for deviation in deviations where deviation.schema == schema {
                if let doc = try? deviation.decode(bytes) { return (doc, deviation) }
            }
            throw error
        }
    }
}
