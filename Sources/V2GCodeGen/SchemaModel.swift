import Foundation

/// An expanded XML name. Ordered as EXI orders qnames: by local name, then by namespace URI
/// (EXI 1.0 §8.5.1, §8.5.4.3).
struct QName: Hashable, Comparable, CustomStringConvertible {
    var uri: String
    var local: String
    static func < (a: QName, b: QName) -> Bool { a.local != b.local ? a.local < b.local : a.uri < b.uri }
    var description: String { uri.isEmpty ? local : "{\(uri)}\(local)" }
}

let xsdNamespace = "http://www.w3.org/2001/XMLSchema"

enum TypeRef {
    case named(QName)
    case complex(ComplexTypeDecl)
    case simple(SimpleTypeDecl)
}

final class ElementDecl {
    let qname: QName
    var type: TypeRef
    let isGlobal: Bool
    let isAbstract: Bool
    let substitutionGroup: QName?
    /// Position of the declaration among all declarations read, for deterministic output.
    let order: Int
    init(qname: QName, type: TypeRef, isGlobal: Bool, isAbstract: Bool, substitutionGroup: QName?, order: Int) {
        self.qname = qname; self.type = type; self.isGlobal = isGlobal
        self.isAbstract = isAbstract; self.substitutionGroup = substitutionGroup; self.order = order
    }
}

struct AttributeUse {
    let qname: QName
    let type: TypeRef
    let required: Bool
}

enum Compositor { case sequence, choice, all }

indirect enum Term {
    case element(ElementDecl)
    case group(Compositor, [Particle])
    /// Element wildcard; `nil` namespaces means "any" or "not(…)" (EXI SE(*)).
    case wildcard(namespaces: [String]?)
}

struct Particle {
    var min: Int
    var max: Int?  // nil = unbounded
    var term: Term
}

enum Derivation { case none, `extension`, restriction }

enum ContentDecl {
    case empty
    case simple(TypeRef)
    case particle(Particle)
}

final class ComplexTypeDecl {
    let name: QName?
    let isAbstract: Bool
    let mixed: Bool
    let base: QName?
    let derivation: Derivation
    let attributes: [AttributeUse]
    let anyAttribute: Bool
    let content: ContentDecl
    /// Element declaring an anonymous type, for naming.
    var ownerElement: QName?
    init(name: QName?, isAbstract: Bool, mixed: Bool, base: QName?, derivation: Derivation,
         attributes: [AttributeUse], anyAttribute: Bool, content: ContentDecl) {
        self.name = name; self.isAbstract = isAbstract; self.mixed = mixed; self.base = base
        self.derivation = derivation; self.attributes = attributes; self.anyAttribute = anyAttribute; self.content = content
    }
}

final class SimpleTypeDecl {
    let name: QName?
    let base: QName?
    let itemType: QName?  // xs:list
    var enumerations: [String] = []
    var minInclusive: String?
    var maxInclusive: String?
    var minExclusive: String?
    var maxExclusive: String?
    var length: Int?
    var minLength: Int?
    var maxLength: Int?
    var hasPattern = false
    init(name: QName?, base: QName?, itemType: QName?) { self.name = name; self.base = base; self.itemType = itemType }
}

/// All components of the schema documents that make up one EXI schema set.
final class SchemaSet {
    var files: [URL] = []
    var targetNamespaces: [String] = []
    var elements: [QName: ElementDecl] = [:]
    var complexTypes: [QName: ComplexTypeDecl] = [:]
    var simpleTypes: [QName: SimpleTypeDecl] = [:]
    var globalAttributes: [QName: AttributeUse] = [:]
    var allElements: [ElementDecl] = []
    private var order = 0
    private var loaded: Set<String> = []

    /// Where an import's schemaLocation points: beside the importing file, or else (the amendment's
    /// schemas import the base schemas by bare name from another folder) the same name in a sibling
    /// folder of the schemas tree, the first in name order.
    static func locate(_ location: String, from file: URL) -> URL {
        let beside = file.deletingLastPathComponent().appendingPathComponent(location)
        let fm = FileManager.default
        guard !fm.fileExists(atPath: beside.path) else { return beside }
        let tree = file.deletingLastPathComponent().deletingLastPathComponent()
        let folders = ((try? fm.contentsOfDirectory(atPath: tree.path)) ?? []).sorted()
        for folder in folders {
            let candidate = tree.appendingPathComponent(folder).appendingPathComponent(location)
            if fm.fileExists(atPath: candidate.path) { return candidate }
        }
        return beside
    }

    /// Loads `file` and, transitively, the schemas it imports or includes.
    func load(_ file: URL) throws {
        let path = file.standardizedFileURL.path
        guard !loaded.contains(path) else { return }
        loaded.insert(path)
        files.append(file)
        let root = try XMLTreeBuilder.parse(file)
        guard root.name == "schema" else { throw GeneratorError("\(path) is not an XML Schema") }
        let tns = root["targetNamespace"] ?? ""
        targetNamespaces.append(tns)
        let ctx = DocContext(tns: tns, qualifiedElements: root["elementFormDefault"] == "qualified",
                             qualifiedAttributes: root["attributeFormDefault"] == "qualified")
        for child in root.children {
            switch child.name {
            case "import", "include":
                if let loc = child["schemaLocation"] {
                    try load(Self.locate(loc, from: file))
                }
            case "element":
                let e = try readElement(child, ctx, global: true)
                elements[e.qname] = e
            case "complexType":
                let t = try readComplexType(child, ctx)
                complexTypes[t.name!] = t
            case "simpleType":
                let t = try readSimpleType(child, ctx)
                simpleTypes[t.name!] = t
            case "attribute":
                let a = try readAttribute(child, ctx, global: true)
                globalAttributes[a.qname] = a
            case "annotation":
                break
            default:
                throw GeneratorError("\(path): unsupported top-level <\(child.name)>")
            }
        }
    }

    struct DocContext {
        let tns: String
        let qualifiedElements: Bool
        let qualifiedAttributes: Bool
    }

    private func nextOrder() -> Int { order += 1; return order }

    private func readElement(_ n: XMLNode, _ ctx: DocContext, global: Bool) throws -> ElementDecl {
        guard let name = n["name"] else { throw GeneratorError("element without name") }
        let qualified = global || (n["form"].map { $0 == "qualified" } ?? ctx.qualifiedElements)
        let qname = QName(uri: qualified ? ctx.tns : "", local: name)
        let type: TypeRef
        if let t = n["type"] {
            type = .named(n.resolve(t))
        } else if let ct = n.elements("complexType").first {
            let decl = try readComplexType(ct, ctx)
            decl.ownerElement = qname
            type = .complex(decl)
        } else if let st = n.elements("simpleType").first {
            type = .simple(try readSimpleType(st, ctx))
        } else {
            type = .named(QName(uri: xsdNamespace, local: "anyType"))
        }
        let e = ElementDecl(qname: qname, type: type, isGlobal: global, isAbstract: n["abstract"] == "true",
                            substitutionGroup: n["substitutionGroup"].map { n.resolve($0) }, order: nextOrder())
        allElements.append(e)
        return e
    }

    private func readAttribute(_ n: XMLNode, _ ctx: DocContext, global: Bool) throws -> AttributeUse {
        if let ref = n["ref"] {
            let q = n.resolve(ref)
            guard let a = globalAttributes[q] else { throw GeneratorError("unknown attribute \(q)") }
            return AttributeUse(qname: a.qname, type: a.type, required: n["use"] == "required")
        }
        guard let name = n["name"] else { throw GeneratorError("attribute without name") }
        let qualified = global || (n["form"].map { $0 == "qualified" } ?? ctx.qualifiedAttributes)
        let type: TypeRef
        if let t = n["type"] { type = .named(n.resolve(t)) } else if let st = n.elements("simpleType").first {
            type = .simple(try readSimpleType(st, ctx))
        } else { type = .named(QName(uri: xsdNamespace, local: "anySimpleType")) }
        return AttributeUse(qname: QName(uri: qualified ? ctx.tns : "", local: name), type: type, required: n["use"] == "required")
    }

    private func occurs(_ n: XMLNode) -> (Int, Int?) {
        let min = Int(n["minOccurs"] ?? "1") ?? 1
        let maxText = n["maxOccurs"] ?? "1"
        return (min, maxText == "unbounded" ? nil : Int(maxText) ?? 1)
    }

    private func readParticle(_ n: XMLNode, _ ctx: DocContext) throws -> Particle? {
        let (min, max) = occurs(n)
        switch n.name {
        case "element":
            if let ref = n["ref"] {
                let q = n.resolve(ref)
                // Global elements may be declared later in the file or in an imported file.
                let decl = elements[q] ?? pendingRef(q)
                return Particle(min: min, max: max, term: .element(decl))
            }
            return Particle(min: min, max: max, term: .element(try readElement(n, ctx, global: false)))
        case "sequence", "choice", "all":
            let comp: Compositor = n.name == "sequence" ? .sequence : n.name == "choice" ? .choice : .all
            let parts = try n.children.compactMap { try readParticle($0, ctx) }
            return Particle(min: min, max: max, term: .group(comp, parts))
        case "any":
            let ns = n["namespace"] ?? "##any"
            let list: [String]? = (ns == "##any" || ns == "##other") ? nil
                : ns.split(separator: " ").map { $0 == "##targetNamespace" ? ctx.tns : $0 == "##local" ? "" : String($0) }
            return Particle(min: min, max: max, term: .wildcard(namespaces: list))
        case "annotation":
            return nil
        default:
            throw GeneratorError("unsupported particle <\(n.name)>")
        }
    }

    /// Element references are resolved after loading; until then they point to a placeholder.
    private var placeholders: [QName: ElementDecl] = [:]
    private func pendingRef(_ q: QName) -> ElementDecl {
        if let p = placeholders[q] { return p }
        let p = ElementDecl(qname: q, type: .named(QName(uri: "", local: "")), isGlobal: true, isAbstract: false, substitutionGroup: nil, order: -1)
        placeholders[q] = p
        return p
    }

    /// Replaces placeholder references with the global declarations.
    func resolveReferences() throws {
        func fix(_ p: Particle) throws -> Particle {
            var p = p
            switch p.term {
            case .element(let e) where e.order == -1:
                guard let g = elements[e.qname] else { throw GeneratorError("unknown element \(e.qname)") }
                p.term = .element(g)
            case .group(let c, let ps):
                p.term = .group(c, try ps.map(fix))
            default: break
            }
            return p
        }
        var seen = Set<ObjectIdentifier>()
        func fixType(_ t: ComplexTypeDecl) throws -> ComplexTypeDecl {
            guard case .particle(let p) = t.content else { return t }
            let fixed = ComplexTypeDecl(name: t.name, isAbstract: t.isAbstract, mixed: t.mixed, base: t.base, derivation: t.derivation,
                                        attributes: t.attributes, anyAttribute: t.anyAttribute, content: .particle(try fix(p)))
            fixed.ownerElement = t.ownerElement
            return fixed
        }
        for (k, t) in complexTypes { complexTypes[k] = try fixType(t) }
        for e in allElements where !seen.contains(ObjectIdentifier(e)) {
            seen.insert(ObjectIdentifier(e))
            if case .complex(let t) = e.type { e.type = .complex(try fixType(t)) }
        }
    }

    private func readComplexType(_ n: XMLNode, _ ctx: DocContext) throws -> ComplexTypeDecl {
        let name = n["name"].map { QName(uri: ctx.tns, local: $0) }
        var mixed = n["mixed"] == "true"
        var attributes: [AttributeUse] = []
        var anyAttribute = false
        var base: QName?
        var derivation = Derivation.none
        var content = ContentDecl.empty

        func readAttrsAndParticle(_ node: XMLNode) throws {
            for c in node.children {
                switch c.name {
                case "attribute": attributes.append(try readAttribute(c, ctx, global: false))
                case "anyAttribute": anyAttribute = true
                case "sequence", "choice", "all":
                    if let p = try readParticle(c, ctx) { content = .particle(p) }
                case "group": throw GeneratorError("xs:group references are not supported")
                default: break
                }
            }
        }

        if let cc = n.elements("complexContent").first {
            if cc["mixed"] == "true" { mixed = true }
            guard let d = cc.children.first(where: { $0.name == "extension" || $0.name == "restriction" }) else {
                throw GeneratorError("complexContent without derivation")
            }
            derivation = d.name == "extension" ? .`extension` : .restriction
            base = d["base"].map { d.resolve($0) }
            try readAttrsAndParticle(d)
        } else if let sc = n.elements("simpleContent").first {
            guard let d = sc.children.first(where: { $0.name == "extension" || $0.name == "restriction" }) else {
                throw GeneratorError("simpleContent without derivation")
            }
            derivation = d.name == "extension" ? .`extension` : .restriction
            let b = d.resolve(d["base"] ?? "")
            base = b
            try readAttrsAndParticle(d)
            content = .simple(.named(b))
        } else {
            try readAttrsAndParticle(n)
        }
        return ComplexTypeDecl(name: name, isAbstract: n["abstract"] == "true", mixed: mixed, base: base, derivation: derivation,
                               attributes: attributes, anyAttribute: anyAttribute, content: content)
    }

    private func readSimpleType(_ n: XMLNode, _ ctx: DocContext) throws -> SimpleTypeDecl {
        let name = n["name"].map { QName(uri: ctx.tns, local: $0) }
        if let r = n.elements("restriction").first {
            let t = SimpleTypeDecl(name: name, base: r["base"].map { r.resolve($0) }, itemType: nil)
            for f in r.children {
                let v = f["value"] ?? ""
                switch f.name {
                case "enumeration": t.enumerations.append(v)
                case "minInclusive": t.minInclusive = v
                case "maxInclusive": t.maxInclusive = v
                case "minExclusive": t.minExclusive = v
                case "maxExclusive": t.maxExclusive = v
                case "length": t.length = Int(v)
                case "minLength": t.minLength = Int(v)
                case "maxLength": t.maxLength = Int(v)
                case "pattern": t.hasPattern = true
                default: break
                }
            }
            return t
        }
        if let l = n.elements("list").first {
            return SimpleTypeDecl(name: name, base: nil, itemType: l["itemType"].map { l.resolve($0) })
        }
        throw GeneratorError("unsupported simpleType \(name?.description ?? "(anonymous)")")
    }
}
