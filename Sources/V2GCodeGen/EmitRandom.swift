/// Emission of random-value factories: values that respect every schema facet and occurrence
/// bound, including the largest arrays the schema allows. Property tests and benchmarks use them.
extension Emitter {
    func randomLeaf(_ l: LeafType) -> String {
        switch l {
        case .boolean: return "Bool.random(using: &r)"
        case .integer(let s, .nBit(_, let offset), _, let max):
            return "\(s)(EXIRandom.integer(\(intLiteral(offset)), \(max.map { String(Int64(clamping: $0)) } ?? "Int64.max"), &r))"
        case .integer(let s, .unsigned, let min, let max):
            return "\(s)(EXIRandom.unsigned(\(UInt64(Swift.max(min ?? 0, 0))), \(max.map(String.init) ?? "UInt64.max"), &r))"
        case .integer(let s, .signed, let min, let max):
            return "\(s)(EXIRandom.integer(\(min.map(intLiteral) ?? "Int64.min"), \(max.map { String(Int64(clamping: $0)) } ?? "Int64.max"), &r))"
        case .bigInteger(let unsignedOnly): return "BigInteger(EXIRandom.integer(\(unsignedOnly ? "0" : "Int64.min"), Int64.max, &r))"
        case .string(let minL, let maxL): return "EXIRandom.string(\(minL ?? 0), \(maxL.map(String.init) ?? "Int.max"), &r)"
        case .hexBinary(let minL, let maxL), .base64Binary(let minL, let maxL):
            let bytes = "EXIRandom.bytes(\(minL ?? 0), \(maxL.map(String.init) ?? "Int.max"), &r)"
            return l.isShortBinary ? "ShortBinary(\(bytes))" : bytes
        case .enumeration: return "\(leafSwiftType(l)).allCases.randomElement(using: &r)!"
        }
    }

    func randomValue(_ v: ValueType, types: [String: GeneratedType]) -> String {
        switch v {
        case .leaf(let l): return randomLeaf(l)
        case .complex: return "\(valueSwiftType(v, types: types)).exiRandom(&r, depth: depth - 1)"
        }
    }

    func randomOne(_ f: Field, owner: String, types: [String: GeneratedType]) -> String {
        switch f.kind {
        case .element(let members, nil): return randomValue(members[0].value, types: types)
        case .element(let members, let e?):
            let cases = members.map { ".\($0.caseName)(\(randomValue($0.value, types: types)))" }
            return pick(cases, type: "\(owner).\(e)")
        case .choice(let e, let alts):
            let cases: [String] = alts.compactMap { a in
                switch a {
                case .element(let m): return ".\(m.caseName)(\(randomValue(m.value, types: types)))"
                case .group(let c, let s, _): return ".\(c)(\(owner).\(s).exiRandom(&r, depth: depth - 1))"
                case .wildcard: return nil
                }
            }
            return pick(cases, type: "\(owner).\(e)")
        case .group(let s, _): return "\(owner).\(s).exiRandom(&r, depth: depth - 1)"
        case .attribute(_, let l, _): return randomLeaf(l)
        case .wildcard: return ""
        }
    }

    /// One of `cases`, chosen at random, as an immediately applied (non-escaping) closure.
    func pick(_ cases: [String], type: String) -> String {
        var body = "{ () -> \(type) in switch Int.random(in: 0..<\(cases.count), using: &r) { "
        for (i, c) in cases.enumerated() {
            body += (i == cases.count - 1 ? "default" : "case \(i)") + ": return \(c); "
        }
        return body + "} }()"
    }

    func randomField(_ f: Field, owner: String, types: [String: GeneratedType]) -> String {
        let one = randomOne(f, owner: owner, types: types)
        switch f.cardinality {
        case .one: return one
        case .optional: return "EXIRandom.present(depth, &r) ? \(one) : nil"
        case .array(let min, let max):
            return "(0..<EXIRandom.count(\(min), \(max.map(String.init) ?? "nil"), depth, &r)).map { _ in \(one) }"
        }
    }

    func emitRandom(name: String, owner: String, attributes: [Field], simpleContent: LeafType?, fields: [Field],
                    types: [String: GeneratedType], _ w: inout CodeWriter) {
        w.block("extension \(name)") { w in
            w.line("/// A random value within the schema's facets and occurrence bounds; `depth` limits nesting.")
            w.block("public static func exiRandom<R: RandomNumberGenerator>(_ r: inout R, depth: Int = 6) -> Self") { w in
                var args: [String] = []
                for f in attributes { args.append("\(f.name): \(randomField(f, owner: owner, types: types))") }
                if let sc = simpleContent { args.append("content: \(randomLeaf(sc))") }
                for f in fields {
                    if case .wildcard = f.kind { continue }
                    args.append("\(f.name): \(randomField(f, owner: owner, types: types))")
                }
                if args.isEmpty { w.line("_ = depth") }
                w.line("return Self(\(args.joined(separator: ", ")))")
            }
        }
        var groups: [(String, [Field])] = []
        for f in fields {
            switch f.kind {
            case .group(let s, let fs): groups.append((s, fs))
            case .choice(_, let alts): for a in alts { if case .group(_, let s, let fs) = a { groups.append((s, fs)) } }
            default: break
            }
        }
        for (s, fs) in groups {
            w.line()
            emitRandom(name: "\(owner).\(s)", owner: owner, attributes: [], simpleContent: nil, fields: fs, types: types, &w)
        }
    }
}
