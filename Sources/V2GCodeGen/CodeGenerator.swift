import Crypto
import Foundation

/// The XSD → Swift generator. Reads the schema sets under a schemas folder and returns the
/// generated files by path relative to the package root. Deterministic: the same schemas give the
/// same bytes.
public struct CodeGenerator {
    public struct MessageSet: Sendable {
        public let name: String
        /// Root schema file, relative to the schemas folder.
        public let file: String
        public let module: String
        public let documentName: String
        /// Namespaces whose types this set generates into its own module rather than sharing
        /// them: the amendment's AC-DER set extends the AC types' substitution groups, so its AC
        /// types have another grammar than the base AC set's.
        public var ownNamespaces: [String] = []
        /// Whether the session engine carries this set's messages (`V2GMessage`).
        public var inSessions = true
    }

    /// The message sets, in dependency order. Each namespace is generated into one module.
    public static let sets: [MessageSet] = [
        MessageSet(name: "XMLDSig", file: "xmldsig/xmldsig-core-schema.xsd", module: "XMLDSig", documentName: "XMLDSigDocument"),
        MessageSet(name: "AppProtocol", file: "appprotocol/V2G_CI_AppProtocol.xsd", module: "AppProtocol", documentName: "AppProtocolDocument"),
        MessageSet(name: "CommonMessages", file: "iso15118-20/V2G_CI_CommonMessages.xsd", module: "ISO20Common", documentName: "CommonMessagesDocument"),
        MessageSet(name: "DC", file: "iso15118-20/V2G_CI_DC.xsd", module: "ISO20DC", documentName: "DCDocument"),
        MessageSet(name: "AC", file: "iso15118-20/V2G_CI_AC.xsd", module: "ISO20AC", documentName: "ACDocument"),
        MessageSet(name: "WPT", file: "iso15118-20/V2G_CI_WPT.xsd", module: "ISO20WPT", documentName: "WPTDocument"),
        MessageSet(name: "ACDP", file: "iso15118-20/V2G_CI_ACDP.xsd", module: "ISO20ACDP", documentName: "ACDPDocument"),
        // ISO 15118-20 Amendment 1: AC with distributed energy resources (IEC grid codes). No sessions yet.
        MessageSet(name: "AC_DER_IEC", file: "iso15118-20-amd1/V2G_CI_AC_DER_IEC.xsd", module: "ISO20ACDER", documentName: "ACDERDocument",
                   ownNamespaces: ["urn:iso:std:iso:15118:-20:AC"], inSessions: false),
    ]

    static let modules: [String: String] = [
        "http://www.w3.org/2000/09/xmldsig#": "XMLDSig",
        "urn:iso:15118:2:2010:AppProtocol": "AppProtocol",
        "urn:iso:std:iso:15118:-20:CommonTypes": "ISO20Common",
        "urn:iso:std:iso:15118:-20:CommonMessages": "ISO20Common",
        "urn:iso:std:iso:15118:-20:DC": "ISO20DC",
        "urn:iso:std:iso:15118:-20:AC": "ISO20AC",
        "urn:iso:std:iso:15118:-20:WPT": "ISO20WPT",
        "urn:iso:std:iso:15118:-20:ACDP": "ISO20ACDP",
        "urn:iso:std:iso:15118:-20:AC-DER-IEC": "ISO20ACDER",
    ]

    static let imports: [String: [String]] = [
        "XMLDSig": ["EXI"],
        "AppProtocol": ["EXI"],
        "ISO20Common": ["EXI", "XMLDSig"],
        "ISO20DC": ["EXI", "XMLDSig", "ISO20Common"],
        "ISO20AC": ["EXI", "XMLDSig", "ISO20Common"],
        "ISO20WPT": ["EXI", "XMLDSig", "ISO20Common"],
        "ISO20ACDP": ["EXI", "XMLDSig", "ISO20Common"],
        "ISO20ACDER": ["EXI", "XMLDSig", "ISO20Common", "ISO20AC"],
    ]

    public let schemas: URL
    public init(schemas: URL) { self.schemas = schemas }

    /// Generated file contents by path (e.g. `Sources/ISO20DC/Generated/DC_ChargeLoopReqType.swift`).
    public func generate() throws -> [String: String] {
        var loaded: [(MessageSet, SchemaSet)] = []
        for ms in Self.sets {
            let s = SchemaSet()
            try s.load(schemas.appendingPathComponent(ms.file))
            try s.resolveReferences()
            loaded.append((ms, s))
        }
        // One qname numbering over all sets, so shared types agree on string-table partitions.
        // The amendment's sets number their new qnames after the base sets', so that adding
        // them leaves the base sets' generated code as it was.
        var qnameIDs: [QName: Int] = [:]
        for base in [true, false] {
            var qnames = Set<QName>()
            for (ms, s) in loaded where ms.inSessions == base {
                for e in s.allElements where e.order >= 0 { qnames.insert(e.qname) }
                for t in s.complexTypes.values { for a in t.attributes { qnames.insert(a.qname) } }
                for e in s.allElements { if case .complex(let t) = e.type { for a in t.attributes { qnames.insert(a.qname) } } }
            }
            for q in qnames.sorted() where qnameIDs[q] == nil { qnameIDs[q] = qnameIDs.count }
        }

        let moduleOf: (String) -> String? = { Self.modules[$0] }
        let emitter = Emitter(moduleOf: moduleOf)
        var registry: [String: GeneratedType] = [:]
        var out: [String: String] = [:]
        var enums: [String: (values: [String], header: String)] = [:]

        for (ms, s) in loaded {
            let header = try headerText(ms, s)
            let setModuleOf: @Sendable (String) -> String? = { ns in ms.ownNamespaces.contains(ns) ? ms.module : Self.modules[ns] }
            let builder = ModelBuilder(set: s, setName: ms.name, moduleOf: setModuleOf, qnameIDs: qnameIDs, registry: registry)
            // Fragment roots: the signable elements (an `Id` attribute), and in the xmldsig-alone set
            // every global element (SignedInfo is signed as a fragment of that grammar).
            let fragmentQNames = builder.fragmentQNames
            let fragmentDecls: [(Int, ElementDecl)] = fragmentQNames.enumerated().compactMap { code, q in
                guard let decl = builder.fragmentDeclaration(q), !decl.isAbstract else { return nil }
                let include = ms.module == "XMLDSig" ? decl.isGlobal : builder.isSignable(decl)
                return include ? (code, decl) : nil
            }
            try builder.build(extraRoots: fragmentDecls.map(\.1))
            for t in builder.touched where t.header.isEmpty { t.header = header }
            registry = builder.registry
            // Enumerations used by this set's types.
            func collect(_ l: LeafType) {
                if case .enumeration(let name, let values, let ns) = l, let m = moduleOf(ns) {
                    let path = "Sources/\(m)/Generated/\(name).swift"
                    if enums[path] == nil { enums[path] = (values, header) }
                }
            }
            func collect(_ f: Field) {
                switch f.kind {
                case .attribute(_, let l, _): collect(l)
                case .element(let ms, _): for m in ms { if case .leaf(let l) = m.value { collect(l) } }
                case .choice(_, let alts):
                    for a in alts {
                        switch a {
                        case .element(let m): if case .leaf(let l) = m.value { collect(l) }
                        case .group(_, _, let fs): fs.forEach(collect)
                        case .wildcard: break
                        }
                    }
                case .group(_, let fs): fs.forEach(collect)
                case .wildcard: break
                }
            }
            for t in builder.touched {
                t.attributes.forEach(collect)
                t.fields.forEach(collect)
                if let sc = t.simpleContent { collect(sc) }
            }
            // The document coder.
            let globals = builder.sortedGlobalElements
            var roots: [Emitter.DocumentRoot] = []
            var used = Set<String>()
            for (code, e) in globals.enumerated() where !e.isAbstract {
                guard let v = try? builder.value(of: e) else { continue }
                if case .leaf(let l) = v { collect(l) }
                var n = SwiftNames.memberName(e.qname.local)
                if used.contains(n) { n += "_" + (moduleOf(e.qname.uri) ?? "other") }
                used.insert(n)
                roots.append(.init(qname: e.qname, caseName: n, value: v, qnameID: qnameIDs[e.qname] ?? -1, code: code))
            }
            let types = Dictionary(registry.values.map { ($0.swiftName + "@" + $0.module, $0) }, uniquingKeysWith: { a, _ in a })
            out["Sources/\(ms.module)/Generated/\(ms.documentName).swift"] = emitter.documentFile(
                name: ms.documentName, setName: ms.name, roots: roots, globalCount: globals.count,
                types: lookup(types, preferring: ms.module), header: header, imports: Self.imports[ms.module] ?? ["EXI"])
            if ms.module.hasPrefix("ISO20") {
                out["Sources/\(ms.module)/Generated/\(ms.documentName)+Messages.swift"] = emitter.messagesFile(
                    documentName: ms.documentName, setName: ms.name, roots: roots,
                    types: lookup(types, preferring: ms.module), header: header, imports: Self.imports[ms.module] ?? ["EXI"])
            }
            var fragmentRoots: [Emitter.DocumentRoot] = []
            var fragmentNames = Set<String>()
            for (code, e) in fragmentDecls {
                let v = try builder.value(of: e)
                var n = SwiftNames.memberName(e.qname.local)
                if fragmentNames.contains(n) { n += "_" + (moduleOf(e.qname.uri) ?? "other") }
                fragmentNames.insert(n)
                fragmentRoots.append(.init(qname: e.qname, caseName: n, value: v, qnameID: qnameIDs[e.qname] ?? -1, code: code))
            }
            let fragmentName = ms.documentName.replacingOccurrences(of: "Document", with: "Fragment")
            if !fragmentRoots.isEmpty { out["Sources/\(ms.module)/Generated/\(fragmentName).swift"] = emitter.documentFile(
                name: fragmentName, setName: ms.name, roots: fragmentRoots, globalCount: fragmentQNames.count,
                types: lookup(types, preferring: ms.module), header: header, imports: Self.imports[ms.module] ?? ["EXI"], fragment: true) }
        }
        // The session engine's glue over the -20 sets (case names are the facade's, `V2GDocument`).
        let sessionSets = Self.sets.filter { $0.module.hasPrefix("ISO20") && $0.inSessions }.map { ms in
            (caseName: ms.module == "ISO20Common" ? "common" : ms.module.dropFirst(5).lowercased(), document: ms.documentName, module: ms.module)
        }
        out["Sources/V2GSession/Generated/V2GMessageSets.swift"] = emitter.sessionMessageSetsFile(sets: sessionSets)
        let all = Dictionary(registry.values.map { ($0.swiftName + "@" + $0.module, $0) }, uniquingKeysWith: { a, _ in a })
        for t in registry.values {
            out["Sources/\(t.module)/Generated/\(t.swiftName).swift"] = emitter.typeFile(
                t, types: lookup(all, preferring: t.module), header: t.header, imports: Self.imports[t.module] ?? ["EXI"])
        }
        for (path, e) in enums {
            let name = String(path.split(separator: "/").last!.dropLast(6))
            out[path] = emitter.enumFile(name: name, values: e.values, header: e.header)
        }
        return out
    }

    /// Types by Swift name, as code in `module` sees them: its own type where a set generated one
    /// of that name into it (the AC-DER set's AC types), otherwise the one other module's. Names
    /// are otherwise unique across modules in these schemas; a clash is an error at compile time
    /// of the generated code, not silently resolved here.
    private func lookup(_ byKey: [String: GeneratedType], preferring module: String) -> [String: GeneratedType] {
        var out: [String: GeneratedType] = [:]
        for (_, t) in byKey.sorted(by: { $0.key < $1.key }) where out[t.swiftName] == nil || t.module == module { out[t.swiftName] = t }
        return out
    }

    private func headerText(_ ms: MessageSet, _ s: SchemaSet) throws -> String {
        var lines = ["// Generated by v2g-codegen from the \(ms.name) schema set. Do not edit; run `swift run v2g-codegen`."]
        let base = schemas.standardizedFileURL.path
        for f in s.files {
            let data = try Data(contentsOf: f)
            var rel = f.standardizedFileURL.path
            if rel.hasPrefix(base + "/") { rel = String(rel.dropFirst(base.count + 1)) }
            lines.append("// \(rel) sha256 \(SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined())")
        }
        return lines.joined(separator: "\n")
    }
}
