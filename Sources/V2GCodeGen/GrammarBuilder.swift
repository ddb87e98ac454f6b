/// A terminal symbol of a schema-informed element grammar (EXI 1.0 §8.5.4).
enum Terminal: Hashable, CustomStringConvertible {
    case endElement
    case characters          // typed simple content
    case untypedCharacters   // text in mixed content
    case attribute(QName)
    case anyAttribute
    case element(QName)
    case anyElement(uri: String?)

    var description: String {
        switch self {
        case .endElement: return "EE"
        case .characters: return "CH"
        case .untypedCharacters: return "CH(untyped)"
        case .attribute(let q): return "AT(\(q.local))"
        case .anyAttribute: return "AT(*)"
        case .element(let q): return "SE(\(q.local))"
        case .anyElement(let uri): return uri.map { "SE(\($0):*)" } ?? "SE(*)"
        }
    }
}

/// A normalized grammar: state 0 is the start; productions are in event-code order.
struct NormalizedGrammar: Equatable {
    var states: [[(terminal: Terminal, target: Int)]]

    static func == (a: NormalizedGrammar, b: NormalizedGrammar) -> Bool {
        a.states.count == b.states.count && zip(a.states, b.states).allSatisfy { x, y in
            x.count == y.count && zip(x, y).allSatisfy { $0.terminal == $1.terminal && $0.target == $1.target }
        }
    }
}

/// Builds proto-grammars as an ε-NFA (EXI 1.0 §8.5.4.1), then normalizes them (§8.5.4.2: ε
/// elimination, duplicate-terminal elimination by subset construction) and assigns event codes
/// (§8.5.4.3).
struct GrammarBuilder {
    private var edges: [[(Terminal?, Int)]] = []
    /// Particle order of first appearance, for "schema order" of SE productions.
    private var schemaOrder: [Terminal: Int] = [:]
    let substitutionMembers: (ElementDecl) -> [ElementDecl]

    init(substitutionMembers: @escaping (ElementDecl) -> [ElementDecl]) {
        self.substitutionMembers = substitutionMembers
    }

    private mutating func newState() -> Int { edges.append([]); return edges.count - 1 }
    private mutating func edge(_ from: Int, _ t: Terminal?, _ to: Int) {
        if let t, schemaOrder[t] == nil { schemaOrder[t] = schemaOrder.count }
        edges[from].append((t, to))
    }

    /// The grammar of a complex type: attribute uses sorted by qname, an attribute wildcard, then
    /// the content (empty, simple, or a particle, with CH(untyped) loops when mixed), then EE.
    mutating func complexType(attributes: [AttributeUse], anyAttribute: Bool, simpleContent: Bool,
                              particle: Particle?, mixed: Bool) -> NormalizedGrammar {
        edges = []
        schemaOrder = [:]
        let start = newState()
        var cur = start
        for a in attributes.sorted(by: { $0.qname < $1.qname }) {
            let next = newState()
            edge(cur, .attribute(a.qname), next)
            if !a.required { edge(cur, nil, next) }
            cur = next
        }
        if anyAttribute {
            edge(cur, .anyAttribute, cur)
        }
        let contentStart = edges.count
        let final = newState()
        if simpleContent {
            let mid = newState()
            edge(cur, .characters, mid)
            edge(mid, nil, final)
        } else if let particle {
            build(particle, cur, final)
        } else {
            edge(cur, nil, final)
        }
        if mixed {
            for s in contentStart..<edges.count { edge(s, .untypedCharacters, s) }
            edge(cur, .untypedCharacters, cur)
        }
        return normalize(start: start, final: final)
    }

    private mutating func build(_ p: Particle, _ from: Int, _ to: Int) {
        var cur = from
        for _ in 0..<p.min {
            let next = newState()
            term(p.term, cur, next)
            cur = next
        }
        if let max = p.max {
            for _ in p.min..<max {
                let next = newState()
                term(p.term, cur, next)
                edge(cur, nil, to)
                cur = next
            }
            edge(cur, nil, to)
        } else {
            let loop = newState()
            edge(cur, nil, loop)
            term(p.term, loop, loop)
            edge(loop, nil, to)
        }
    }

    private mutating func term(_ t: Term, _ from: Int, _ to: Int) {
        switch t {
        case .element(let e):
            for m in substitutionMembers(e) { edge(from, .element(m.qname), to) }
        case .wildcard(let namespaces):
            if let namespaces {
                for uri in namespaces { edge(from, .anyElement(uri: uri), to) }
            } else {
                edge(from, .anyElement(uri: nil), to)
            }
        case .group(.choice, let parts):
            if parts.isEmpty { edge(from, nil, to) }
            for p in parts {
                // Each alternative gets its own entry state so that its ε-edges stay its own.
                let entry = newState()
                edge(from, nil, entry)
                build(p, entry, to)
            }
        case .group(_, let parts):
            var cur = from
            for p in parts {
                let next = newState()
                build(p, cur, next)
                cur = next
            }
            edge(cur, nil, to)
        }
    }

    /// ε-closure in discovery order (depth first, edges in construction order).
    private func closure(_ seeds: [Int]) -> [Int] {
        var seen = Set<Int>()
        var out: [Int] = []
        func visit(_ s: Int) {
            guard seen.insert(s).inserted else { return }
            out.append(s)
            for (t, to) in edges[s] where t == nil { visit(to) }
        }
        for s in seeds { visit(s) }
        return out
    }

    private func rank(_ t: Terminal) -> (Int, QName, Int) {
        let none = QName(uri: "", local: "")
        switch t {
        case .attribute(let q): return (0, q, 0)
        case .anyAttribute: return (1, none, 0)
        case .element, .anyElement: return (2, none, schemaOrder[t] ?? 0)
        case .endElement: return (3, none, 0)
        case .characters: return (4, none, 0)
        case .untypedCharacters: return (5, none, 0)
        }
    }

    private func normalize(start: Int, final: Int) -> NormalizedGrammar {
        var keys: [[Int]: Int] = [:]
        var sets: [[Int]] = []
        var states: [[(terminal: Terminal, target: Int)]] = []
        func id(_ closureStates: [Int]) -> Int {
            let key = closureStates.sorted()
            if let i = keys[key] { return i }
            keys[key] = sets.count
            sets.append(closureStates)
            states.append([])
            return sets.count - 1
        }
        _ = id(closure([start]))
        var i = 0
        while i < sets.count {
            var order: [Terminal] = []
            var targets: [Terminal: [Int]] = [:]
            var accepts = false
            for s in sets[i] {
                if s == final { accepts = true }
                for (t, to) in edges[s] {
                    guard let t else { continue }
                    if targets[t] == nil { order.append(t) }
                    targets[t, default: []].append(to)
                }
            }
            var prods: [(terminal: Terminal, target: Int)] = []
            for t in order { prods.append((t, id(closure(targets[t]!)))) }
            if accepts { prods.append((.endElement, -1)) }
            prods.sort { a, b in
                let x = rank(a.terminal), y = rank(b.terminal)
                if x.0 != y.0 { return x.0 < y.0 }
                if x.0 == 0 { return x.1 < y.1 }
                return x.2 < y.2
            }
            states[i] = prods
            i += 1
        }
        return NormalizedGrammar(states: states)
    }
}
