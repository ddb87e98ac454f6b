/// Emission of the per-message plumbing of a -20 message set: which roots are requests and
/// responses, their header and response code, and the FAILED form of each response. The session
/// engine and the runtimes use these instead of switching over every message by hand.
extension Emitter {
    /// A root element that is a V2G message: its name ends in `Req` or `Res` and its type has
    /// the `Header` every -20 message carries.
    struct MessageRoot {
        let root: DocumentRoot
        let type: GeneratedType
        var isRequest: Bool { root.qname.local.hasSuffix("Req") }
        var counterpart: String { String(root.qname.local.dropLast(3)) + (isRequest ? "Res" : "Req") }
    }

    func messageRoots(_ roots: [DocumentRoot], types: [String: GeneratedType]) -> [MessageRoot] {
        roots.compactMap { r in
            let name = r.qname.local
            guard name.hasSuffix("Req") || name.hasSuffix("Res"), case .complex(let t) = r.value, let type = types[t],
                  type.fields.contains(where: { $0.name == "header" }) else { return nil }
            return MessageRoot(root: r, type: type)
        }
    }

    /// `signature { switch self { cases…; default } }` with its doc line: the shape of every
    /// member of the per-set plumbing.
    func switchMember(_ w: inout CodeWriter, doc: String, _ signature: String, cases: [String], default fallback: String?) {
        w.line("/// \(doc)")
        w.block(signature) { w in
            w.line("switch self {")
            for c in cases { w.line(c) }
            if let fallback { w.line("default: \(fallback)") }
            w.line("}")
        }
    }

    func messagesFile(documentName: String, setName: String, roots: [DocumentRoot],
                      types: [String: GeneratedType], header: String, imports: [String]) -> String {
        let messages = messageRoots(roots, types: types)
        let byName = Dictionary(messages.map { ($0.root.qname.local, $0) }, uniquingKeysWith: { a, _ in a })
        let headerType = "ISO20Common.MessageHeaderType"
        let codeType = "ISO20Common.ResponseCodeType"
        var w = CodeWriter()
        w.line(header)
        for i in imports { w.line("import \(i)") }
        w.line()
        w.block("extension \(documentName)") { w in
            w.line("/// The requests and responses of the \(setName) message set, by root element name.")
            w.block("public enum Message: String, Sendable, Hashable, CaseIterable") { w in
                for m in messages { w.line("case \(m.root.caseName) = \(SwiftNames.literal(m.root.qname.local))") }
                w.line()
                /// `case .a, .b: return true` for the messages that are `which`.
                func those(_ which: (MessageRoot) -> Bool) -> [String] {
                    let names = messages.filter(which).map { "." + $0.root.caseName }
                    return names.isEmpty ? [] : ["case \(names.joined(separator: ", ")): return true"]
                }
                switchMember(&w, doc: "A request (`…Req`), not a response (`…Res`).", "public var isRequest: Bool",
                             cases: those(\.isRequest), default: "return false")
                w.line()
                switchMember(&w, doc: "A charge loop request or response (`…_ChargeLoopReq`/`Res`): the exchange the standard times most tightly.",
                             "public var isChargeLoop: Bool", cases: those {
                                 $0.root.qname.local.hasSuffix("_ChargeLoopReq") || $0.root.qname.local.hasSuffix("_ChargeLoopRes")
                             }, default: "return false")
                w.line()
                switchMember(&w, doc: "The response that answers this request, or the request this response answers.", "public var counterpart: Message?",
                             cases: messages.map { "case .\($0.root.caseName): return \(byName[$0.counterpart].map { "." + $0.root.caseName } ?? "nil")" },
                             default: nil)
            }
            w.line()
            switchMember(&w, doc: "The message this document holds; nil when its root is not a request or a response.", "public var message: Message?",
                         cases: messages.map { "case .\($0.root.caseName): return .\($0.root.caseName)" }, default: "return nil")
            w.line()
            switchMember(&w, doc: "The header of a request or a response.", "public var header: \(headerType)?",
                         cases: messages.map { "case .\($0.root.caseName)(let m): return m.header" }, default: "return nil")
            w.line()
            switchMember(&w, doc: "The same message with `header` in place of its own (a document that is not a message is returned as it is).",
                         "public func withHeader(_ header: \(headerType)) -> Self",
                         cases: messages.map { "case .\($0.root.caseName)(var m): m.header = header; return .\($0.root.caseName)(m)" }, default: "return self")
            w.line()
            switchMember(&w, doc: "The response code of a response.", "public var responseCode: \(codeType)?",
                         cases: messages.filter { !$0.isRequest }.map { "case .\($0.root.caseName)(let m): return m.responseCode" }, default: "return nil")
            w.line()
            w.line("/// The response to `request` with `code`: every other mandatory field holds the least value the")
            w.line("/// schema allows, optional ones are absent ([V2G20-736]: a FAILED response is still schema-valid).")
            w.block("public static func failedResponse(to request: Message, code: \(codeType), header: \(headerType)) -> Self?") { w in
                w.line("switch request {")
                for m in messages where m.isRequest {
                    guard let res = byName[m.counterpart] else { continue }
                    let value = minimalComplex(res.type, types: types, fixed: ["header": "header", "responseCode": "code"])
                    w.line("case .\(m.root.caseName): return .\(res.root.caseName)(\(value))")
                }
                w.line("default: return nil")
                w.line("}")
            }
            w.line()
            w.line("/// The message at the root of an EXI document of this set, from the header and the root's event")
            w.line("/// code alone: what a document that fails to decode further was meant to be.")
            w.block("public static func peekMessage(_ bytes: [UInt8]) -> Message?") { w in
                w.line("var d = EXIDecoder(bytes)")
                w.line("guard (try? d.readHeader()) != nil, let code = try? d.readNBit(bits: eventCodeBits) else { return nil }")
                w.line("switch code {")
                for m in messages { w.line("case \(m.root.code): return .\(m.root.caseName)") }
                w.line("default: return nil")
                w.line("}")
            }
        }
        return w.text
    }

    // MARK: least schema-valid values

    func minimalLeaf(_ l: LeafType) -> String {
        switch l {
        case .boolean: return "false"
        case .integer(let s, .nBit(_, let offset), _, _): return "\(s)(\(intLiteral(zeroWithin(offset))))"
        case .integer(let s, .unsigned, let min, _): return "\(s)(\(UInt64(Swift.max(min ?? 0, 0))))"
        case .integer(let s, .signed, let min, _): return "\(s)(\(intLiteral(zeroWithin(min))))"
        case .bigInteger: return "BigInteger(0)"
        case .string(let minL, _): return SwiftNames.literal(String(repeating: "0", count: minL ?? 0))
        case .hexBinary(let minL, _), .base64Binary(let minL, _):
            return l.isShortBinary ? "ShortBinary([UInt8](repeating: 0, count: \(minL ?? 0)))" : "[UInt8](repeating: 0, count: \(minL ?? 0))"
        case .enumeration(_, let values, _): return "\(leafSwiftType(l)).\(SwiftNames.memberName(values[0]))"
        }
    }

    /// How many mandatory fields a value has (a leaf counts as none).
    func mandatoryCount(_ v: ValueType, _ types: [String: GeneratedType]) -> Int {
        guard case .complex(let name) = v, let t = types[name] else { return 0 }
        return (t.attributes + t.fields).filter { if case .one = $0.cardinality { return true }; if case .array(let n, _) = $0.cardinality { return n > 0 }; return false }.count
    }

    /// Zero, or the lower bound when it is above zero (upper bounds are never below zero here).
    func zeroWithin(_ min: Int64?) -> Int64 {
        if let min, min > 0 { return min }
        return 0
    }

    func minimalValue(_ v: ValueType, types: [String: GeneratedType]) -> String {
        switch v {
        case .leaf(let l): return minimalLeaf(l)
        case .complex(let name):
            guard let t = types[name] else { return "\(name)()" }
            return minimalComplex(t, types: types, fixed: [:])
        }
    }

    func minimalComplex(_ t: GeneratedType, types: [String: GeneratedType], fixed: [String: String]) -> String {
        var args = minimalArguments(t.attributes, owner: qualified(t), types: types, fixed: fixed)
        if let sc = t.simpleContent { args.append("content: \(minimalLeaf(sc))") }
        args += minimalArguments(t.fields, owner: qualified(t), types: types, fixed: fixed)
        return "\(qualified(t))(\(args.joined(separator: ", ")))"
    }

    /// Initializer arguments for the mandatory fields; optional fields and empty arrays take the
    /// initializer's defaults.
    func minimalArguments(_ fields: [Field], owner: String, types: [String: GeneratedType], fixed: [String: String]) -> [String] {
        fields.compactMap { f in
            if case .wildcard = f.kind { return nil }
            if let value = fixed[f.name] { return "\(f.name): \(value)" }
            switch f.cardinality {
            case .optional, .array(0, _): return nil
            case .one: return "\(f.name): \(minimalOne(f, owner: owner, types: types))"
            case .array(let n, _):
                return "\(f.name): Array(repeating: \(minimalOne(f, owner: owner, types: types)), count: \(n))"
            }
        }
    }

    func minimalOne(_ f: Field, owner: String, types: [String: GeneratedType]) -> String {
        switch f.kind {
        case .element(let members, nil): return minimalValue(members[0].value, types: types)
        case .element(let members, _?):
            // The substitution group's least member: the one with the fewest mandatory fields
            // (DC_CPDResEnergyTransferMode rather than its BPT form), the first of equals.
            let least = members.min { mandatoryCount($0.value, types) < mandatoryCount($1.value, types) } ?? members[0]
            return ".\(least.caseName)(\(minimalValue(least.value, types: types)))"
        case .choice(_, let alts):
            for a in alts {
                switch a {
                case .element(let m): return ".\(m.caseName)(\(minimalValue(m.value, types: types)))"
                case .group(let c, let s, let fs):
                    let args = minimalArguments(fs, owner: owner, types: types, fixed: [:])
                    return ".\(c)(\(owner).\(s)(\(args.joined(separator: ", "))))"
                case .wildcard: continue
                }
            }
            return ""
        case .group(let s, let fs):
            return "\(owner).\(s)(\(minimalArguments(fs, owner: owner, types: types, fixed: [:]).joined(separator: ", ")))"
        case .attribute(_, let l, _): return minimalLeaf(l)
        case .wildcard: return ""
        }
    }
}

extension Emitter {
    /// The session engine's view of every -20 message set, generated so that no hand-written
    /// code switches over the sets message by message: the cases of `V2GMessage` and
    /// `MessageKind`, and each set's conformance to the engine's protocols.
    func sessionMessageSetsFile(sets: [(caseName: String, document: String, module: String)]) -> String {
        var w = CodeWriter()
        w.line("// Generated by v2g-codegen from the list of -20 message sets. Do not edit; run `swift run v2g-codegen`.")
        w.line("import AppProtocol")
        for s in sets.map(\.module).sorted() { w.line("import \(s)") }
        w.line("import EXI")
        w.line("import V2GCodec")
        w.line("import V2GTP")
        w.line()
        w.line("/// A message on the V2G main stream, decoded with the message set its V2GTP payload type names.")
        w.line("/// `SAP` is the supportedAppProtocol message of the direction: the request (EVCC → SECC) or the")
        w.line("/// response, so `V2GRequest` and `V2GResponse` are two types over one set of rules.")
        w.block("public enum V2GMessage<SAP: SupportedAppProtocolMessage>: Sendable, Hashable") { w in
            w.line("case supportedAppProtocol(SAP)")
            // Boxed: a document is up to ~270 bytes, and messages pass through several enums and
            // arrays of actions on their way; a box is copied by reference.
            for s in sets { w.line("indirect case \(s.caseName)(\(s.document))") }
        }
        w.line()
        // One switch per fact, straight to the set's generated member: no existential boxes the
        // document on the way (a DC document is ~250 bytes; this is the charge loop's path).
        func messageSwitch(_ w: inout CodeWriter, signature: String, doc: String, sap: String, each: (String) -> String) {
            switchMember(&w, doc: doc, signature, cases: ["case .supportedAppProtocol\(sap)"]
                         + sets.map { "case .\($0.caseName)(let d): return \(each($0.caseName))" }, default: nil)
        }
        w.block("extension V2GMessage") { w in
            messageSwitch(&w, signature: "public var document: V2GDocument", doc: "The message as a document of the codec facade (encoding, JSON, names).",
                          sap: "(let m): return .sap(m.appProtocolDocument)") { ".\($0)(d)" }
            w.line()
            messageSwitch(&w, signature: "public var name: String", doc: "The root element's name, e.g. `DC_ChargeLoopReq`.",
                          sap: "(let m): return m.appProtocolDocument.rootName") { _ in "d.rootName" }
            w.line()
            messageSwitch(&w, signature: "public func frame() throws(EXIError) -> V2GTPFrame",
                          doc: "The V2GTP frame on the main stream: the payload type names the message set (PROTOCOL-NOTES §2).",
                          sap: "(let m): return V2GTPFrame(payloadType: MessageSchema.sap.mainStreamPayloadType.rawValue, payload: try m.appProtocolDocument.encodeEXI())") {
                "V2GTPFrame(payloadType: MessageSchema.\($0).mainStreamPayloadType.rawValue, payload: try d.encodeEXI())"
            }
            w.line()
            w.line("/// Decodes `payload` with the grammar of `schema`; nil for a supportedAppProtocol message of the")
            w.line("/// other direction or a set that carries no messages.")
            w.block("static func decode(_ payload: [UInt8], schema: MessageSchema) throws(EXIError) -> Self?") { w in
                w.line("switch schema {")
                w.line("case .sap: return SAP(try AppProtocolDocument.decodeEXI(payload)).map(Self.supportedAppProtocol)")
                for s in sets { w.line("case .\(s.caseName): return .\(s.caseName)(try \(s.document).decodeEXI(payload))") }
                w.line("default: return nil")
                w.line("}")
            }
            w.line()
            messageSwitch(&w, signature: "public var kind: MessageKind?", doc: "Which message this is; nil for a document of a -20 set that is not a request or a response.",
                          sap: ": return .supportedAppProtocol") { "d.message.map(MessageKind.\($0))" }
            w.line()
            messageSwitch(&w, signature: "public var header: MessageHeaderType?", doc: "The -20 header (nil for supportedAppProtocol).",
                          sap: ": return nil") { _ in "d.header" }
            w.line()
            messageSwitch(&w, signature: "public var responseCode: ISO20Common.ResponseCodeType?", doc: "The response code of a -20 response.",
                          sap: ": return nil") { _ in "d.responseCode" }
            w.line()
            w.line("/// The message with `change` applied to its header (supportedAppProtocol, which has none, as it is).")
            w.block("public func withHeader(_ change: (inout MessageHeaderType) -> Void) -> Self") { w in
                w.line("guard var header else { return self }")
                w.line("change(&header)")
                w.line("switch self {")
                w.line("case .supportedAppProtocol: return self")
                for s in sets { w.line("case .\(s.caseName)(let d): return .\(s.caseName)(d.withHeader(header))") }
                w.line("}")
            }
        }
        w.line()
        w.line("/// Which message, across every message set: the sequence rules are written in these.")
        w.block("public enum MessageKind: Sendable, Hashable") { w in
            w.line("case supportedAppProtocol")
            for s in sets { w.line("case \(s.caseName)(\(s.document).Message)") }
        }
        w.line()
        func kindSwitch(_ w: inout CodeWriter, signature: String, doc: String, sap: String, each: (String, String) -> String) {
            switchMember(&w, doc: doc, signature, cases: ["case .supportedAppProtocol: return \(sap)"]
                         + sets.map { "case .\($0.caseName)(let m): return \(each($0.caseName, $0.document))" }, default: nil)
        }
        w.block("extension MessageKind") { w in
            kindSwitch(&w, signature: "public var description: String", doc: "The root element's name (`supportedAppProtocol` for both of its messages).",
                       sap: "\"supportedAppProtocol\"") { _, _ in "m.rawValue" }
            w.line()
            kindSwitch(&w, signature: "public var isRequest: Bool", doc: "A request (supportedAppProtocol counts as one).", sap: "true") { _, _ in "m.isRequest" }
            w.line()
            kindSwitch(&w, signature: "public var isChargeLoop: Bool", doc: "A charge loop request or response of any energy service.", sap: "false") { _, _ in "m.isChargeLoop" }
            w.line()
            kindSwitch(&w, signature: "public var counterpart: MessageKind?",
                       doc: "The response that answers this request, or the request this response answers (supportedAppProtocol answers itself).",
                       sap: ".supportedAppProtocol") { c, _ in "m.counterpart.map(MessageKind.\(c))" }
            w.line()
            kindSwitch(&w, signature: "public func failedResponse(code: ISO20Common.ResponseCodeType, header: MessageHeaderType) -> V2GResponse?",
                       doc: "The FAILED form of the response to this request ([V2G20-736]): `code`, `header`, and the least schema-valid value in every other mandatory field.",
                       sap: "nil") { c, d in "\(d).failedResponse(to: m, code: code, header: header).map(V2GResponse.\(c))" }
            w.line()
            w.line("/// What a payload of `schema` that does not decode was meant to be, from its root event code.")
            w.block("public init?(peeking payload: [UInt8], schema: MessageSchema)") { w in
                w.line("switch schema {")
                w.line("case .sap: self = .supportedAppProtocol")
                for s in sets {
                    w.line("case .\(s.caseName):")
                    w.line("    guard let m = \(s.document).peekMessage(payload) else { return nil }")
                    w.line("    self = .\(s.caseName)(m)")
                }
                w.line("default: return nil")
                w.line("}")
            }
        }
        return w.text
    }
}
