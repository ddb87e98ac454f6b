/// Emission of whole files: generated types, enumerations and per-set document coders.
extension Emitter {
    func typeFile(_ t: GeneratedType, types: [String: GeneratedType], header: String, imports: [String]) -> String {
        var w = CodeWriter()
        w.line(header)
        for i in imports { w.line("import \(i)") }
        w.line()
        declareStruct(t.swiftName, owner: t.swiftName, attributes: t.attributes, simpleContent: t.simpleContent,
                      fields: t.fields, types: types, doc: "`\(t.xsdName)` (\(t.namespace)).", &w)
        w.line()
        emitEXI(t, types: types, &w)
        w.line()
        emitJSON(name: t.swiftName, owner: t.swiftName, attributes: t.attributes, simpleContent: t.simpleContent,
                 fields: t.fields, types: types, &w)
        emitNestedGroups(t.fields, owner: t.swiftName, t, types: types, &w)
        w.line()
        emitRandom(name: t.swiftName, owner: t.swiftName, attributes: t.attributes, simpleContent: t.simpleContent,
                   fields: t.fields, types: types, &w)
        return w.text
    }

    func grammarLiteral(_ t: GeneratedType) -> (String, String) {
        var s = ""
        for state in t.grammar.states {
            s += state.map { "\(t.terminal($0.terminal)).\(max($0.target, 0))" }.joined(separator: ",") + ";"
        }
        return (s, t.terminalNames.joined(separator: "|"))
    }

    func emitEXI(_ t: GeneratedType, types: [String: GeneratedType], _ w: inout CodeWriter) {
        let (table, names) = grammarLiteral(t)
        w.block("extension \(t.swiftName): EXIComplexContent") { w in
            w.line("/// The normalized element grammar of `\(t.xsdName)` (EXI 1.0 §8.5.4), \(t.grammar.states.count) states.")
            w.line("public static let exiGrammar = Grammar(\(SwiftNames.literal(table)),")
            w.line("    names: \(SwiftNames.literal(names)))")
            w.line()
            w.block("public func exiEncode(_ e: inout EXIEncoder, element: Int) throws(EXIError)") { w in
                if requiresWildcard(t.fields) {
                    // The type cannot be encoded; say so instead of writing an invalid stream.
                    w.line("throw EXIError(.unsupported, \"\(t.xsdName) requires element wildcard (xs:any) content, which is not supported\", bitOffset: e.writer.bitCount)")
                    return
                }
                w.line("let g = Self.exiGrammar")
                w.line("var s = 0")
                for f in t.attributes { encodeField(f, "self.\(f.name)", t, &w) }
                if let sc = t.simpleContent {
                    w.line("try e.emit(1, g, &s)")
                    w.line(leafWrite(sc, "self.content", qname: "element"))
                }
                for f in t.fields { encodeField(f, "self.\(f.name)", t, &w) }
                w.line("try e.emit(0, g, &s)")
            }
            w.line()
            w.block("public static func exiDecode(_ d: inout EXIDecoder, element: Int) throws(EXIError) -> Self") { w in
                w.line("try exiDecode(&d, element: element, grammar: exiGrammar)")
            }
            w.line()
            w.line("/// Decodes with `g`, a variant of `exiGrammar` with the same terminals (lenient decoding).")
            w.block("public static func exiDecode(_ d: inout EXIDecoder, element: Int, grammar g: Grammar) throws(EXIError) -> Self") { w in
                w.line("var s = 0")
                let hasContent = !t.attributes.isEmpty || t.simpleContent != nil || t.fields.contains { if case .wildcard = $0.kind { return false }; return true }
                w.line("\(hasContent ? "var" : "let") t = try d.next(g, &s)")
                for f in t.attributes { decodeField(f, owner: t.swiftName, t, types: types, &w) }
                if let sc = t.simpleContent {
                    w.line("guard t == 1 else { throw d.unexpected(t, g) }")
                    w.line("let f_content = \(leafRead(sc, qname: "element"))")
                    w.line("t = try d.next(g, &s)")
                }
                for f in t.fields { decodeField(f, owner: t.swiftName, t, types: types, &w) }
                w.line("guard t == 0 else { throw d.unexpected(t, g) }")
                requireFields(t.attributes + t.fields, &w)
                w.line("return Self(\(initArguments(t.fields, attributes: t.attributes, simpleContent: t.simpleContent != nil)))")
            }
        }
    }

    /// Nested sequences continue the parent's grammar: they take its table, state and terminal.
    func emitNestedGroups(_ fields: [Field], owner: String, _ t: GeneratedType, types: [String: GeneratedType], _ w: inout CodeWriter) {
        var groups: [(String, [Field])] = []
        for f in fields {
            switch f.kind {
            case .group(let s, let fs): groups.append((s, fs))
            case .choice(_, let alts):
                for a in alts { if case .group(_, let s, let fs) = a { groups.append((s, fs)) } }
            default: break
            }
        }
        for (s, fs) in groups {
            w.line()
            w.block("extension \(owner).\(s)") { w in
                w.block("func exiEncode(_ e: inout EXIEncoder, _ g: Grammar, _ s: inout Int) throws(EXIError)") { w in
                    for f in fs { encodeField(f, "self.\(f.name)", t, &w) }
                }
                w.line()
                w.block("static func exiDecode(_ d: inout EXIDecoder, _ g: Grammar, _ s: inout Int, _ t: inout UInt16) throws(EXIError) -> Self") { w in
                    for f in fs { decodeField(f, owner: owner, t, types: types, &w) }
                    requireFields(fs, &w)
                    w.line("return Self(\(initArguments(fs, attributes: [], simpleContent: false)))")
                }
            }
            w.line()
            emitJSON(name: "\(owner).\(s)", owner: owner, attributes: [], simpleContent: nil, fields: fs, types: types, &w)
            emitNestedGroups(fs, owner: owner, t, types: types, &w)
        }
    }

    // MARK: JSON

    /// The JSON keys a field may appear under.
    func jsonKeys(_ f: Field) -> [String] {
        switch f.kind {
        case .element, .choice: return jsonAlternatives(f).map(\.key)
        case .group: return [f.jsonKey]
        case .attribute: return [f.jsonKey]
        case .wildcard: return []
        }
    }

    /// The alternatives of an element (one, or a substitution group) or a choice: enum case name,
    /// JSON key, and the value type (nil for a nested sequence).
    func jsonAlternatives(_ f: Field) -> [(caseName: String, key: String, value: ValueType?)] {
        switch f.kind {
        case .element(let members, _): return members.map { ($0.caseName, $0.qname.local, $0.value) }
        case .choice(_, let alts):
            return alts.compactMap { a in
                switch a {
                case .element(let m): return (m.caseName, m.qname.local, m.value)
                case .group(let c, let s, _): return (c, s, nil)
                case .wildcard: return nil
                }
            }
        default: return []
        }
    }

    func keyCase(_ k: String) -> String { "k_" + k.map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined() }

    /// The type JSON is read through (a lenient wrapper or the value type itself) and how to unwrap it.
    func jsonReadType(_ v: ValueType, types: [String: GeneratedType]) -> (String, String) {
        if case .leaf(let l) = v {
            switch l {
            case .integer(let s, _, _, _): return ("JSONInteger<\(s)>", ".value")
            case .hexBinary: return ("JSONHexBinary", l.isShortBinary ? ".shortValue" : ".value")
            case .base64Binary: return ("JSONBase64Binary", l.isShortBinary ? ".shortValue" : ".value")
            default: break
            }
        }
        return (valueSwiftType(v, types: types), "")
    }

    func jsonWriteExpr(_ v: ValueType, _ x: String) -> String {
        if case .leaf(let l) = v {
            switch l {
            case .hexBinary: return l.isShortBinary ? "Hex.encode(Array(\(x)))" : "Hex.encode(\(x))"
            case .base64Binary: return l.isShortBinary ? "Base64.encode(Array(\(x)))" : "Base64.encode(\(x))"
            default: break
            }
        }
        return x
    }

    func leafValue(_ l: LeafType) -> ValueType { .leaf(l) }

    func emitJSON(name: String, owner: String, attributes: [Field], simpleContent: LeafType?, fields: [Field],
                  types: [String: GeneratedType], _ w: inout CodeWriter) {
        let all = attributes + fields
        var keys: [String] = []
        for f in all { for k in jsonKeys(f) where !keys.contains(k) { keys.append(k) } }
        if simpleContent != nil { keys.append("CONTENT") }
        w.block("extension \(name): Codable") { w in
            if !keys.isEmpty {
                w.block("enum CodingKeys: String, CodingKey") { w in
                    for k in keys { w.line("case \(keyCase(k)) = \(SwiftNames.literal(k))") }
                }
                w.line()
            }
            w.block("public init(from decoder: any Decoder) throws") { w in
                if keys.isEmpty {
                    w.line("_ = decoder")
                    w.line("self.init()")
                    return
                }
                w.line("let c = try decoder.container(keyedBy: CodingKeys.self)")
                var args: [String] = []
                for f in attributes {
                    guard case .attribute(_, let leaf, _) = f.kind else { continue }
                    jsonDecodeSimple(f, .leaf(leaf), key: keyCase(f.jsonKey), types: types, &w)
                    args.append("\(f.name): j_\(f.name.replacingOccurrences(of: "`", with: ""))")
                }
                if let sc = simpleContent {
                    let (rt, un) = jsonReadType(.leaf(sc), types: types)
                    w.line("let j_content = try c.decode(\(rt).self, forKey: .k_CONTENT)\(un)")
                    args.append("content: j_content")
                }
                for f in fields {
                    let local = "j_" + f.name.replacingOccurrences(of: "`", with: "")
                    switch f.kind {
                    case .element(let members, nil):
                        jsonDecodeSimple(f, members[0].value, key: keyCase(members[0].qname.local), types: types, &w)
                    case .element, .choice:
                        jsonDecodeChoice(f, owner: owner, cases: jsonAlternatives(f), types: types, &w)
                    case .group(let s, _):
                        jsonDecodeSimple(f, .complex("\(owner).\(s)"), key: keyCase(f.jsonKey), types: types, &w)
                    case .wildcard:
                        continue
                    case .attribute:
                        continue
                    }
                    args.append("\(f.name): \(local)")
                }
                w.line("self.init(\(args.joined(separator: ", ")))")
            }
            w.line()
            w.block("public func encode(to encoder: any Encoder) throws") { w in
                if keys.isEmpty {
                    w.line("_ = encoder.container(keyedBy: EmptyKeys.self)")
                    return
                }
                w.line("var c = encoder.container(keyedBy: CodingKeys.self)")
                for f in attributes {
                    guard case .attribute(_, let leaf, _) = f.kind else { continue }
                    jsonEncodeSimple(f, .leaf(leaf), key: keyCase(f.jsonKey), &w)
                }
                if let sc = simpleContent {
                    w.line("try c.encode(\(jsonWriteExpr(.leaf(sc), "content")), forKey: .k_CONTENT)")
                }
                for f in fields {
                    switch f.kind {
                    case .element(let members, nil):
                        jsonEncodeSimple(f, members[0].value, key: keyCase(members[0].qname.local), &w)
                    case .element, .choice:
                        jsonEncodeChoice(f, cases: jsonAlternatives(f), &w)
                    case .group:
                        jsonEncodeSimple(f, .complex(""), key: keyCase(f.jsonKey), &w)
                    default:
                        continue
                    }
                }
            }
        }
    }

    func jsonDecodeSimple(_ f: Field, _ v: ValueType, key: String, types: [String: GeneratedType], _ w: inout CodeWriter) {
        let local = "j_" + f.name.replacingOccurrences(of: "`", with: "")
        let (rt, un) = jsonReadType(v, types: types)
        switch f.cardinality {
        case .one: w.line("let \(local) = try c.decode(\(rt).self, forKey: .\(key))\(un)")
        case .optional: w.line("let \(local) = try c.decodeIfPresent(\(rt).self, forKey: .\(key))\(un.isEmpty ? "" : "?" + un)")
        case .array:
            let map = un.isEmpty ? "" : ".map { $0\(un) }"
            w.line("let \(local) = try c.decodeIfPresent(JSONList<\(rt)>.self, forKey: .\(key))?.values\(map) ?? []")
        }
    }

    func jsonEncodeSimple(_ f: Field, _ v: ValueType, key: String, _ w: inout CodeWriter) {
        switch f.cardinality {
        case .one: w.line("try c.encode(\(jsonWriteExpr(v, f.name)), forKey: .\(key))")
        case .optional: w.line("if let x = \(f.name) { try c.encode(\(jsonWriteExpr(v, "x")), forKey: .\(key)) }")
        case .array:
            let ex = jsonWriteExpr(v, "$0")
            w.line("if !\(f.name).isEmpty { try c.encode(\(f.name)\(ex == "$0" ? "" : ".map { \(ex) }"), forKey: .\(key)) }")
        }
    }

    /// A choice or substitution group: the JSON key names the alternative.
    func jsonDecodeChoice(_ f: Field, owner: String, cases: [(caseName: String, key: String, value: ValueType?)], types: [String: GeneratedType], _ w: inout CodeWriter) {
        let local = "j_" + f.name.replacingOccurrences(of: "`", with: "")
        let base = fieldBaseType(f, owner: owner, types: types)!
        let expected = "[" + cases.map { SwiftNames.literal($0.1) }.joined(separator: ", ") + "]"
        func readType(_ c: (caseName: String, key: String, value: ValueType?)) -> (String, String) {
            guard let v = c.2 else {
                guard case .choice(_, let alts) = f.kind else { return ("", "") }
                for a in alts { if case .group(let cn, let s, _) = a, cn == c.0 { return ("\(owner).\(s)", "") } }
                return ("", "")
            }
            return jsonReadType(v, types: types)
        }
        switch f.cardinality {
        case .one, .optional:
            w.line("let \(local): \(base)?")
            var first = true
            for c in cases {
                let (rt, un) = readType(c)
                w.line("\(first ? "" : "} else ")if c.contains(.\(keyCase(c.1))) {")
                w.line("    \(local) = .\(c.0)(try c.decode(\(rt).self, forKey: .\(keyCase(c.1)))\(un))")
                first = false
            }
            w.line("} else {")
            if f.cardinality == .one {
                w.line("    throw JSONChoiceError(\(SwiftNames.literal(f.name)), expected: \(expected))")
            } else {
                w.line("    \(local) = nil")
            }
            w.line("}")
            if f.cardinality == .one {
                w.line("guard let \(local) else { throw JSONChoiceError(\(SwiftNames.literal(f.name)), expected: \(expected)) }")
            }
        case .array:
            w.line("var \(local): [\(base)] = []")
            for c in cases {
                let (rt, un) = readType(c)
                w.line("\(local) += try (c.decodeIfPresent(JSONList<\(rt)>.self, forKey: .\(keyCase(c.1)))?.values ?? []).map { .\(c.0)($0\(un)) }")
            }
        }
    }

    func jsonEncodeChoice(_ f: Field, cases: [(caseName: String, key: String, value: ValueType?)], _ w: inout CodeWriter) {
        switch f.cardinality {
        case .one, .optional:
            let subject = f.cardinality == .one ? f.name : "x"
            if f.cardinality == .optional { w.line("if let x = \(f.name) {") }
            w.line("switch \(subject) {")
            for c in cases {
                w.line("case .\(c.0)(let v): try c.encode(\(c.2.map { jsonWriteExpr($0, "v") } ?? "v"), forKey: .\(keyCase(c.1)))")
            }
            w.line("}")
            if f.cardinality == .optional { w.line("}") }
        case .array:
            // Group each alternative's values under its key, in the order they occur.
            for c in cases {
                let ex = c.2.map { jsonWriteExpr($0, "v") } ?? "v"
                w.line("do {")
                w.line("    let vs = \(f.name).compactMap { x in if case .\(c.0)(let v) = x { return \(ex) } else { return nil } }")
                w.line("    if !vs.isEmpty { try c.encode(vs, forKey: .\(keyCase(c.1))) }")
                w.line("}")
            }
        }
    }
}
