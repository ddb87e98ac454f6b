/// Writes Swift source for generated types: the value type, its EXI coder (a content walker driven
/// by the grammar table) and its JSON (Codable) conformance.
struct CodeWriter {
    private(set) var text = ""
    private var indent = 0
    /// Appends a line; indentation follows the braces, so callers pass unindented text.
    mutating func line(_ s: String = "") {
        let trimmed = s.drop { $0 == " " }
        if trimmed.isEmpty { text += "\n"; return }
        if trimmed.hasPrefix("}") { indent = max(0, indent - 1) }
        let extra = trimmed.hasPrefix("default:") || trimmed.hasPrefix("case ") && Self.isSwitchCase(trimmed) ? -1 : 0
        text += String(repeating: "    ", count: max(0, indent + extra)) + trimmed + "\n"
        if trimmed.hasSuffix("{") { indent += 1 }
    }
    /// `case .x(let v): …` or `case 3:` (a switch case), as opposed to an enum case declaration.
    static func isSwitchCase(_ line: Substring) -> Bool {
        let head = line.prefix { $0 != "\"" && $0 != "=" }
        return head.contains(":")
    }

    mutating func block(_ open: String, _ body: (inout CodeWriter) -> Void) {
        line(open + " {")
        body(&self)
        line("}")
    }
}

struct Emitter {
    let moduleOf: (String) -> String?

    // MARK: naming

    func qualified(_ t: GeneratedType) -> String { "\(t.module).\(t.swiftName)" }

    func leafSwiftType(_ l: LeafType) -> String {
        if case .enumeration(let name, _, let ns) = l, let m = moduleOf(ns) { return "\(m).\(name)" }
        return l.swiftType
    }

    func valueSwiftType(_ v: ValueType, types: [String: GeneratedType]) -> String {
        switch v {
        case .leaf(let l): return leafSwiftType(l)
        case .complex(let name): return types[name].map(qualified) ?? name
        }
    }

    func fieldBaseType(_ f: Field, owner: String, types: [String: GeneratedType]) -> String? {
        switch f.kind {
        case .element(let members, let enumName):
            if let enumName { return "\(owner).\(enumName)" }
            return valueSwiftType(members[0].value, types: types)
        case .choice(let enumName, _): return "\(owner).\(enumName)"
        case .group(let structName, _): return "\(owner).\(structName)"
        case .wildcard: return nil
        case .attribute(_, let leaf, _): return leafSwiftType(leaf)
        }
    }

    /// Optional fields of these types are stored out of line (`@OutOfLine`): the xmldsig
    /// Signature that every message header may carry.
    static let outOfLineTypes: Set<String> = ["XMLDSig.SignatureType", "SignatureType"]

    func wrap(_ base: String, _ c: Cardinality) -> String {
        switch c {
        case .one: return base
        case .optional: return base + "?"
        case .array: return "[" + base + "]"
        }
    }

    // MARK: declarations

    func declareStruct(_ name: String, owner: String, attributes: [Field], simpleContent: LeafType?, fields: [Field],
                       types: [String: GeneratedType], doc: String, _ w: inout CodeWriter) {
        let all = attributes + fields
        w.line("/// \(doc)")
        w.block("public struct \(name): Sendable, Hashable") { w in
            // (name, type, default value): optionals default to nil, repeated elements to none.
            var params: [(String, String, String)] = []
            func defaultValue(_ c: Cardinality) -> String {
                switch c {
                case .optional: return " = nil"
                case .array(let min, _) where min == 0: return " = []"
                default: return ""
                }
            }
            for f in attributes {
                let t = wrap(fieldBaseType(f, owner: owner, types: types)!, f.cardinality)
                w.line("/// Attribute `\(f.jsonKey)`.")
                w.line("public var \(f.name): \(t)")
                params.append((f.name, t, defaultValue(f.cardinality)))
            }
            if let sc = simpleContent {
                w.line("/// The element's simple content.")
                w.line("public var content: \(leafSwiftType(sc))")
                params.append(("content", leafSwiftType(sc), ""))
            }
            for f in fields {
                guard let base = fieldBaseType(f, owner: owner, types: types) else { continue }
                let t = wrap(base, f.cardinality)
                w.line("/// \(describe(f))")
                // A large optional that is almost never present stays out of line (see OutOfLine).
                let outOfLine = f.cardinality == .optional && Self.outOfLineTypes.contains(base)
                w.line("\(outOfLine ? "@OutOfLine " : "")public var \(f.name): \(t)")
                params.append((f.name, t, defaultValue(f.cardinality)))
            }
            w.line()
            let sig = params.map { "\($0.0): \($0.1)\($0.2)" }.joined(separator: ", ")
            w.block("public init(\(sig))") { w in
                for p in params { w.line("self.\(p.0) = \(p.0)") }
            }
            for f in all { declareNested(f, owner: owner, types: types, &w) }
        }
    }

    func describe(_ f: Field) -> String {
        let occurs: String
        switch f.cardinality {
        case .one: occurs = "required"
        case .optional: occurs = "optional"
        case .array(let min, let max): occurs = "\(min)…\(max.map(String.init) ?? "unbounded") occurrences"
        }
        switch f.kind {
        case .element(let members, nil): return "Element `\(members[0].qname.local)` (\(occurs))."
        case .element(let members, _): return "Substitution group: one of \(members.map { "`\($0.qname.local)`" }.joined(separator: ", ")) (\(occurs))."
        case .choice(_, let alts): return "Choice of \(alts.count) alternatives (\(occurs))."
        case .group: return "Nested sequence (\(occurs))."
        default: return ""
        }
    }

    func declareNested(_ f: Field, owner: String, types: [String: GeneratedType], _ w: inout CodeWriter) {
        switch f.kind {
        case .element(let members, let enumName?):
            w.line()
            w.block("public enum \(enumName): Sendable, Hashable") { w in
                for m in members { w.line("case \(m.caseName)(\(valueSwiftType(m.value, types: types)))") }
            }
        case .choice(let enumName, let alts):
            w.line()
            w.block("public enum \(enumName): Sendable, Hashable") { w in
                for a in alts {
                    switch a {
                    case .element(let m): w.line("case \(m.caseName)(\(valueSwiftType(m.value, types: types)))")
                    case .group(let c, let s, _): w.line("case \(c)(\(owner).\(s))")
                    case .wildcard: break
                    }
                }
            }
            for a in alts {
                if case .group(_, let s, let fs) = a {
                    w.line()
                    declareStruct(s, owner: owner, attributes: [], simpleContent: nil, fields: fs, types: types, doc: "A nested sequence.", &w)
                }
            }
        case .group(let s, let fs):
            w.line()
            declareStruct(s, owner: owner, attributes: [], simpleContent: nil, fields: fs, types: types, doc: "A nested sequence.", &w)
        default:
            break
        }
    }

    // MARK: EXI leaf coders

    func intLiteral(_ v: Int64) -> String { v == Int64.min ? "Int64.min" : String(v) }

    func leafRead(_ l: LeafType, qname: String) -> String {
        switch l {
        case .boolean: return "try d.readBoolean()"
        case .integer(let s, .nBit(let bits, let offset), _, let max):
            return "try d.readNBitInteger(bits: \(bits), offset: \(intLiteral(offset)), max: \(max.map { String(Int64(clamping: $0)) } ?? "Int64.max"), as: \(s).self)"
        case .integer(let s, .unsigned, let min, let max):
            return "try d.readUnsignedInteger(min: \(UInt64(Swift.max(min ?? 0, 0))), max: \(max.map(String.init) ?? "UInt64.max"), as: \(s).self)"
        case .integer(let s, .signed, let min, let max):
            return "try d.readSignedInteger(min: \(min.map(intLiteral) ?? "Int64.min"), max: \(max.map { String(Int64(clamping: $0)) } ?? "Int64.max"), as: \(s).self)"
        case .bigInteger: return "try d.readBigInteger()"
        case .string(let minL, let maxL):
            return "try d.readStringValue(qname: \(qname), minLength: \(minL ?? 0), maxLength: \(maxL.map(String.init) ?? "Int.max"))"
        case .hexBinary(let minL, let maxL), .base64Binary(let minL, let maxL):
            return "try d.read\(l.isShortBinary ? "Short" : "")BinaryValue(minLength: \(minL ?? 0), maxLength: \(maxL.map(String.init) ?? "Int.max"))"
        case .enumeration(_, let values, _):
            return "try d.readEnumeration(bits: \(width(values.count)), as: \(leafSwiftType(l)).self)"
        }
    }

    func leafWrite(_ l: LeafType, _ x: String, qname: String) -> String {
        switch l {
        case .boolean: return "e.writeBoolean(\(x))"
        case .integer(_, .nBit(let bits, let offset), _, let max):
            return "try e.writeNBitInteger(\(x), bits: \(bits), offset: \(intLiteral(offset)), max: \(max.map { String(Int64(clamping: $0)) } ?? "Int64.max"))"
        case .integer(_, .unsigned, let min, let max):
            return "try e.writeUnsignedInteger(\(x), min: \(UInt64(Swift.max(min ?? 0, 0))), max: \(max.map(String.init) ?? "UInt64.max"))"
        case .integer(_, .signed, let min, let max):
            return "try e.writeSignedInteger(\(x), min: \(min.map(intLiteral) ?? "Int64.min"), max: \(max.map { String(Int64(clamping: $0)) } ?? "Int64.max"))"
        case .bigInteger: return "e.writeInteger(\(x))"
        case .string(let minL, let maxL):
            return "try e.writeStringValue(\(x), qname: \(qname), minLength: \(minL ?? 0), maxLength: \(maxL.map(String.init) ?? "Int.max"))"
        case .hexBinary(let minL, let maxL), .base64Binary(let minL, let maxL):
            return "try e.writeBinaryValue(\(x), minLength: \(minL ?? 0), maxLength: \(maxL.map(String.init) ?? "Int.max"))"
        case .enumeration(_, let values, _):
            return "e.writeEnumeration(\(x), bits: \(width(values.count)))"
        }
    }

    func leafWriteThrows(_ l: LeafType) -> Bool {
        switch l {
        case .boolean, .enumeration, .bigInteger: return false
        default: return true
        }
    }

    func width(_ n: Int) -> Int { n <= 1 ? 0 : Int.bitWidth - (n - 1).leadingZeroBitCount }

    // MARK: EXI walkers

    /// Encodes the value of element `m` (after its SE event).
    func encodeValue(_ m: ElementChoice, _ x: String, _ w: inout CodeWriter) {
        if case .leaf(let l) = m.value, !leafWriteThrows(l) {
            w.line("e.beginSimpleContent()")
            w.line(leafWrite(l, x, qname: String(m.qnameID)))
            w.line("e.endSimpleContent()")
            return
        }
        w.block("do throws(EXIError)") { w in
            switch m.value {
            case .leaf(let l):
                w.line("e.beginSimpleContent()")
                w.line(leafWrite(l, x, qname: String(m.qnameID)))
                w.line("e.endSimpleContent()")
            case .complex:
                w.line("try \(x).exiEncode(&e, element: \(m.qnameID))")
            }
        }
        w.line("catch { throw error.within(\(SwiftNames.literal(m.qname.local))) }")
    }

    func encodeField(_ f: Field, _ expr: String, _ t: GeneratedType, _ w: inout CodeWriter) {
        if case .wildcard = f.kind { return }
        switch f.cardinality {
        case .one: encodeOne(f, expr, t, &w)
        case .optional: w.block("if let x = \(expr)") { w in encodeOne(f, "x", t, &w) }
        case .array: w.block("for x in \(expr)") { w in encodeOne(f, "x", t, &w) }
        }
    }

    func encodeOne(_ f: Field, _ x: String, _ t: GeneratedType, _ w: inout CodeWriter) {
        switch f.kind {
        case .element(let members, nil):
            w.line("try e.emit(\(t.terminal(.element(members[0].qname))), g, &s)")
            encodeValue(members[0], x, &w)
        case .element(let members, _):
            w.block("switch \(x)") { w in
                for m in members {
                    w.line("case .\(m.caseName)(let v):")
                    w.line("    try e.emit(\(t.terminal(.element(m.qname))), g, &s)")
                    var inner = CodeWriter()
                    encodeValue(m, "v", &inner)
                    for l in inner.text.split(separator: "\n", omittingEmptySubsequences: false) where !l.isEmpty { w.line("    " + l) }
                }
            }
        case .choice(_, let alts):
            w.block("switch \(x)") { w in
                for a in alts {
                    var inner = CodeWriter()
                    switch a {
                    case .element(let m):
                        w.line("case .\(m.caseName)(let v):")
                        inner.line("try e.emit(\(t.terminal(.element(m.qname))), g, &s)")
                        encodeValue(m, "v", &inner)
                    case .group(let c, _, _):
                        w.line("case .\(c)(let v):")
                        inner.line("try v.exiEncode(&e, g, &s)")
                    case .wildcard:
                        continue
                    }
                    for l in inner.text.split(separator: "\n", omittingEmptySubsequences: false) where !l.isEmpty { w.line("    " + l) }
                }
            }
        case .group:
            w.line("try \(x).exiEncode(&e, g, &s)")
        case .attribute(let q, let leaf, let qid):
            w.line("try e.emit(\(t.terminal(.attribute(q))), g, &s)")
            if leafWriteThrows(leaf) {
                w.block("do throws(EXIError)") { w in w.line(leafWrite(leaf, x, qname: String(qid))) }
                w.line("catch { throw error.within(\(SwiftNames.literal("@" + q.local))) }")
            } else {
                w.line(leafWrite(leaf, x, qname: String(qid)))
            }
        case .wildcard:
            break
        }
    }

    /// Terminals that can start field `f`.
    func first(_ f: Field, _ t: GeneratedType) -> [Int] {
        switch f.kind {
        case .element(let members, _): return members.map { t.terminal(.element($0.qname)) }
        case .choice(_, let alts):
            return alts.flatMap { a -> [Int] in
                switch a {
                case .element(let m): return [t.terminal(.element(m.qname))]
                case .group(_, _, let fs): return firstOfSequence(fs, t)
                case .wildcard: return []
                }
            }
        case .group(_, let fs): return firstOfSequence(fs, t)
        case .attribute(let q, _, _): return [t.terminal(.attribute(q))]
        case .wildcard: return []
        }
    }

    func nullable(_ f: Field) -> Bool {
        switch f.cardinality {
        case .optional: return true
        case .array(let min, _) where min == 0: return true
        default: break
        }
        switch f.kind {
        case .group(_, let fs): return fs.allSatisfy(nullable)
        case .choice(_, let alts):
            return alts.contains { if case .group(_, _, let fs) = $0 { return fs.allSatisfy(nullable) }; return false }
        case .wildcard: return false
        default: return false
        }
    }

    /// Whether every value of the type needs wildcard content, which has no Swift representation yet.
    func requiresWildcard(_ fields: [Field]) -> Bool {
        fields.contains { f in
            if case .wildcard = f.kind { return !nullable(f) }
            return false
        }
    }

    func firstOfSequence(_ fs: [Field], _ t: GeneratedType) -> [Int] {
        var out: [Int] = []
        for f in fs {
            out += first(f, t)
            if !nullable(f) { break }
        }
        return out
    }

    func condition(_ terms: [Int]) -> String {
        let ts = Array(Set(terms)).sorted()
        if ts.isEmpty { return "false" }
        return ts.map { "t == \($0)" }.joined(separator: " || ")
    }

    /// Decodes the value of element `m` (after its SE event) into a new constant named `v`.
    func decodeValue(_ m: ElementChoice, into v: String, types: [String: GeneratedType], _ w: inout CodeWriter) {
        w.line("let \(v): \(valueSwiftType(m.value, types: types))")
        w.block("do throws(EXIError)") { w in
            switch m.value {
            case .leaf(let l):
                w.line("try d.beginSimpleContent()")
                w.line("\(v) = \(leafRead(l, qname: String(m.qnameID)))")
                w.line("try d.endSimpleContent()")
            case .complex:
                w.line("\(v) = try \(valueSwiftType(m.value, types: types)).exiDecode(&d, element: \(m.qnameID))")
            }
        }
        w.line("catch { throw error.within(\(SwiftNames.literal(m.qname.local))) }")
    }

    func decodeField(_ f: Field, owner: String, _ t: GeneratedType, types: [String: GeneratedType], _ w: inout CodeWriter) {
        let name = "f_" + f.name.replacingOccurrences(of: "`", with: "")
        if case .wildcard = f.kind {
            if let w0 = t.grammar.states.flatMap({ $0 }).first(where: { if case .anyElement = $0.terminal { return true }; return false }) {
                w.line("if t == \(t.terminal(w0.terminal)) { throw EXIError(.unsupported, \"element wildcard content is not supported\", bitOffset: d.bitOffset) }")
            }
            return
        }
        let base = fieldBaseType(f, owner: owner, types: types)!
        switch f.cardinality {
        case .one:
            w.line("var \(name): \(base)? = nil")
            decodeOne(f, name, owner: owner, t, types: types, optional: false, &w)
        case .optional:
            w.line("var \(name): \(base)? = nil")
            decodeOne(f, name, owner: owner, t, types: types, optional: true, &w)
        case .array:
            w.line("var \(name): [\(base)] = []")
            w.block("while \(condition(first(f, t)))") { w in
                let tmp = "item"
                w.line("var \(tmp): \(base)? = nil")
                decodeOne(f, tmp, owner: owner, t, types: types, optional: false, &w)
                w.line("if let \(tmp) { \(name).append(\(tmp)) }")
            }
        }
    }

    /// Decodes one occurrence into the optional variable `target`; leaves `t` at the next terminal.
    /// A required occurrence that is absent throws.
    func decodeOne(_ f: Field, _ target: String, owner: String, _ t: GeneratedType, types: [String: GeneratedType], optional: Bool, _ w: inout CodeWriter) {
        let fallback = optional ? "break" : "throw d.unexpected(t, g)"
        switch f.kind {
        case .element(let members, let enumName):
            w.block("switch t") { w in
                for m in members {
                    w.line("case \(t.terminal(.element(m.qname))):")
                    var inner = CodeWriter()
                    decodeValue(m, into: "v", types: types, &inner)
                    inner.line(enumName == nil ? "\(target) = v" : "\(target) = .\(m.caseName)(v)")
                    inner.line("t = try d.next(g, &s)")
                    for l in inner.text.split(separator: "\n") { w.line("    " + l) }
                }
                w.line("default: \(fallback)")
            }
        case .choice(_, let alts):
            w.block("switch t") { w in
                for a in alts {
                    var inner = CodeWriter()
                    switch a {
                    case .element(let m):
                        w.line("case \(t.terminal(.element(m.qname))):")
                        decodeValue(m, into: "v", types: types, &inner)
                        inner.line("\(target) = .\(m.caseName)(v)")
                        inner.line("t = try d.next(g, &s)")
                    case .group(let c, let s, let fs):
                        let firsts = firstOfSequence(fs, t)
                        if firsts.isEmpty { continue }
                        w.line("case " + Array(Set(firsts)).sorted().map(String.init).joined(separator: ", ") + ":")
                        inner.line("\(target) = .\(c)(try \(owner).\(s).exiDecode(&d, g, &s, &t))")
                    case .wildcard:
                        continue
                    }
                    for l in inner.text.split(separator: "\n") { w.line("    " + l) }
                }
                w.line("default: \(fallback)")
            }
        case .group(let s, let fs):
            let firsts = firstOfSequence(fs, t)
            if optional || !fs.allSatisfy(nullable) {
                w.block("if \(condition(firsts))") { w in
                    w.line("\(target) = try \(owner).\(s).exiDecode(&d, g, &s, &t)")
                }
                if !optional { w.line("else { throw d.unexpected(t, g) }") }
            } else {
                w.line("\(target) = try \(owner).\(s).exiDecode(&d, g, &s, &t)")
            }
        case .attribute(let q, let leaf, let qid):
            w.block("if t == \(t.terminal(.attribute(q)))") { w in
                w.block("do throws(EXIError)") { w in w.line("\(target) = \(leafRead(leaf, qname: String(qid)))") }
                w.line("catch { throw error.within(\(SwiftNames.literal("@" + q.local))) }")
                w.line("t = try d.next(g, &s)")
            }
            if !optional { w.line("else { throw d.unexpected(t, g) }") }
        case .wildcard:
            break
        }
    }

    /// Required fields were decoded into optionals; a missing one is an error, never a crash.
    func requireFields(_ fields: [Field], _ w: inout CodeWriter) {
        for f in fields where f.cardinality == .one {
            if case .wildcard = f.kind { continue }
            let local = "f_" + f.name.replacingOccurrences(of: "`", with: "")
            w.line("guard let \(local) else { throw EXIError(.unexpectedEvent, \(SwiftNames.literal("missing " + f.name)), bitOffset: d.bitOffset) }")
        }
    }

    /// The initializer arguments from the decoded locals.
    func initArguments(_ fields: [Field], attributes: [Field], simpleContent: Bool) -> String {
        var args: [String] = []
        for f in attributes + fields {
            if case .wildcard = f.kind { continue }
            let local = "f_" + f.name.replacingOccurrences(of: "`", with: "")
            args.append("\(f.name): \(local)")
        }
        if simpleContent { args.insert("content: f_content", at: attributes.count) }
        return args.joined(separator: ", ")
    }
}
