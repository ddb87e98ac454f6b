/// Emission of enumerations and of the document coder of each message set.
extension Emitter {
    func enumFile(name: String, values: [String], header: String) -> String {
        var w = CodeWriter()
        w.line(header)
        w.line("import EXI")
        w.line()
        var used = Set<String>()
        let cases: [(String, String)] = values.map { v in
            var n = SwiftNames.memberName(v)
            var i = 2
            while used.contains(n) { n = SwiftNames.memberName(v) + String(i); i += 1 }
            used.insert(n)
            return (n, v)
        }
        w.line("/// Enumeration `\(name)`; EXI encodes the index of the value in schema order.")
        w.block("public enum \(name): String, Sendable, Hashable, Codable, CaseIterable, EXIEnumeration") { w in
            for (n, v) in cases { w.line("case \(n) = \(SwiftNames.literal(v))") }
            w.line()
            w.block("public init?(exiIndex: UInt32)") { w in
                w.line("switch exiIndex {")
                for (i, c) in cases.enumerated() { w.line("case \(i): self = .\(c.0)") }
                w.line("default: return nil")
                w.line("}")
            }
            w.line()
            w.block("public var exiIndex: UInt32") { w in
                w.line("switch self {")
                for (i, c) in cases.enumerated() { w.line("case .\(c.0): return \(i)") }
                w.line("}")
            }
        }
        return w.text
    }

    struct DocumentRoot {
        let qname: QName
        let caseName: String
        let value: ValueType
        let qnameID: Int
        let code: Int
    }

    /// The document grammar (EXI 1.0 §8.5.1): SD (0 bits), then SE of one of the set's global
    /// elements sorted by qname, or SE(*) — ⌈log₂(n + 1)⌉ bits — then ED (0 bits).
    ///
    /// With `fragment`, the fragment grammar (§8.5.2) instead: SE of one of all element
    /// declarations (global and local, one per qname, sorted), SE(*), or ED — ⌈log₂(n + 2)⌉ bits
    /// each; one element, then ED. These are the bytes XML signatures digest and sign.
    func documentFile(name: String, setName: String, roots: [DocumentRoot], globalCount: Int, types: [String: GeneratedType],
                      header: String, imports: [String], fragment: Bool = false) -> String {
        let bits = width(globalCount + (fragment ? 2 : 1))
        let what = fragment ? "fragment" : "document"
        var w = CodeWriter()
        w.line(header)
        for i in imports { w.line("import \(i)") }
        w.line()
        if fragment {
            w.line("/// An EXI fragment of the \(setName) message set holding one signable element: the bytes an XML")
            w.line("/// signature digests (header `0x80` and padding included).")
        } else {
            w.line("/// An EXI document of the \(setName) message set: one of its global elements as the root.")
        }
        w.block("public enum \(name): EXIRootCoder") { w in
            for r in roots { w.line("case \(r.caseName)(\(valueSwiftType(r.value, types: types)))") }
        }
        w.line()
        w.block("extension \(name)") { w in
            w.line(fragment ? "/// Width of the fragment-level event code: \(globalCount) element qnames, SE(*) and ED."
                            : "/// Width of the document-level event code: \(globalCount) global elements and SE(*).")
            w.line("public static let eventCodeBits = \(bits)")
            w.line()
            w.line("/// The root element's name.")
            w.block("public var rootName: String") { w in
                w.line("switch self {")
                for r in roots { w.line("case .\(r.caseName): return \(SwiftNames.literal(r.qname.local))") }
                w.line("}")
            }
            w.line()
            w.line("/// Encodes the \(what) into `bytes`, reusing its storage: header `0x80`, the root element,")
            w.line("/// \(fragment ? "ED, " : "")zero padding. `encodeEXI(options:)` returns a new array instead.")
            w.block("public func encodeEXI(options: EXIEncoder.Options = .default, into bytes: inout [UInt8]) throws(EXIError)") { w in
                w.line("var e = EXIEncoder(options: options, reusing: &bytes)")
                w.line("e.writeHeader()")
                w.line("switch self {")
                for r in roots {
                    w.line("case .\(r.caseName)(let v):")
                    w.line("    e.writeNBit(\(r.code), bits: \(bits))")
                    w.line("    do throws(EXIError) {")
                    switch r.value {
                    case .leaf(let l):
                        w.line("        e.beginSimpleContent()")
                        w.line("        " + leafWrite(l, "v", qname: String(r.qnameID)))
                        w.line("        e.endSimpleContent()")
                    case .complex:
                        w.line("        try v.exiEncode(&e, element: \(r.qnameID))")
                    }
                    w.line("    } catch { throw error.within(\(SwiftNames.literal(r.qname.local))) }")
                }
                w.line("}")
                if fragment { w.line("e.writeNBit(\(globalCount + 1), bits: \(bits))") }
                w.line("bytes = e.finish()")
            }
            w.line()
            w.line("/// Decodes a whole \(what); padding bits after the last event may hold any value.")
            w.block("public static func decodeEXI(_ bytes: [UInt8]) throws(EXIError) -> Self") { w in
                w.line("try decodeEXI(bytes, rootCode: nil, rootGrammar: nil)")
            }
            w.line()
            w.line("/// Decodes with the root's event code mapped by `rootCode` and its grammar replaced by")
            w.line("/// `rootGrammar`: the hooks lenient decoding uses to accept known deviations of other encoders.")
            w.line("/// Without hooks (nil) nothing is called through a closure.")
            w.block("public static func decodeEXI(_ bytes: [UInt8], rootCode: ((Int) -> Int)?, rootGrammar: ((Grammar) -> Grammar)?) throws(EXIError) -> Self") { w in
                w.line("var d = EXIDecoder(bytes)")
                w.line("try d.readHeader()")
                w.line("let read = Int(try d.readNBit(bits: \(bits)))")
                w.line("let code = rootCode?(read) ?? read")
                w.line("let result: Self")
                w.line("switch code {")
                for r in roots {
                    w.line("case \(r.code):")
                    w.line("    do throws(EXIError) {")
                    switch r.value {
                    case .leaf(let l):
                        w.line("        try d.beginSimpleContent()")
                        w.line("        result = .\(r.caseName)(\(leafRead(l, qname: String(r.qnameID))))")
                        w.line("        try d.endSimpleContent()")
                    case .complex:
                        let t = valueSwiftType(r.value, types: types)
                        w.line("        result = .\(r.caseName)(try \(t).exiDecode(&d, element: \(r.qnameID), grammar: rootGrammar?(\(t).exiGrammar) ?? \(t).exiGrammar))")
                    }
                    w.line("    } catch { throw error.within(\(SwiftNames.literal(r.qname.local))) }")
                }
                w.line("case \(globalCount): throw EXIError(.unsupported, \"SE(*) \(what) root is not supported\", bitOffset: 8)")
                w.line("default: throw EXIError(.unsupported, \"\(what) root #\\(code) has no generated coder in this message set\", bitOffset: 8)")
                w.line("}")
                if fragment {
                    w.line("let end = d.bitOffset")
                    w.line("guard try d.readNBit(bits: \(bits)) == \(globalCount + 1) else {")
                    w.line("    throw EXIError(.unsupported, \"only fragments of exactly one element are supported\", bitOffset: end)")
                    w.line("}")
                }
                w.line("try d.finish()")
                w.line("return result")
            }
        }
        w.line()
        w.block("extension \(name)") { w in
            w.line("/// The number of root elements `exiRandom(root:)` can make.")
            w.line("public static let rootCount = \(roots.count)")
            w.line()
            w.line("/// A random document with root number `root` (0..<rootCount), for property tests and benchmarks.")
            w.block("public static func exiRandom<R: RandomNumberGenerator>(root: Int, _ r: inout R, depth: Int = 6) -> Self") { w in
                w.line("switch root {")
                for (i, rt) in roots.enumerated() {
                    let value: String
                    switch rt.value {
                    case .leaf(let l): value = randomLeaf(l)
                    case .complex: value = "\(valueSwiftType(rt.value, types: types)).exiRandom(&r, depth: depth)"
                    }
                    w.line("\(i == roots.count - 1 ? "default" : "case \(i)"): return .\(rt.caseName)(\(value))")
                }
                w.line("}")
            }
        }
        w.line()
        w.block("extension \(name): Codable") { w in
            w.block("enum CodingKeys: String, CodingKey, CaseIterable") { w in
                for r in roots { w.line("case \(r.caseName) = \(SwiftNames.literal(r.qname.local))") }
            }
            w.line()
            w.line("/// JSON: an object with the root element's name as its one key.")
            w.block("public init(from decoder: any Decoder) throws") { w in
                w.line("let c = try decoder.container(keyedBy: CodingKeys.self)")
                w.line("guard c.allKeys.count == 1, let key = c.allKeys.first else {")
                w.line("    throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: \"expected exactly one root element of \(setName)\"))")
                w.line("}")
                w.line("switch key {")
                for r in roots {
                    let (rt, un) = jsonReadType(r.value, types: types)
                    w.line("case .\(r.caseName): self = .\(r.caseName)(try c.decode(\(rt).self, forKey: key)\(un))")
                }
                w.line("}")
            }
            w.line()
            w.block("public func encode(to encoder: any Encoder) throws") { w in
                w.line("var c = encoder.container(keyedBy: CodingKeys.self)")
                w.line("switch self {")
                for r in roots {
                    w.line("case .\(r.caseName)(let v): try c.encode(\(jsonWriteExpr(r.value, "v")), forKey: .\(r.caseName))")
                }
                w.line("}")
            }
        }
        return w.text
    }
}
