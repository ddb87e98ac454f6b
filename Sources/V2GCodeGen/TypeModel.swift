/// The Swift shape of generated types, derived from the XSD content models.

enum Cardinality: Equatable {
    case one
    case optional
    case array(min: Int, max: Int?)
}

indirect enum ValueType {
    case leaf(LeafType)
    /// A complex type, by Swift type name.
    case complex(String)
}

/// One element that can appear at a particle: the element's qname and what it holds.
struct ElementChoice {
    let qname: QName
    let caseName: String
    let value: ValueType
    let qnameID: Int
}

struct Field {
    let name: String          // Swift member name
    let jsonKey: String
    let cardinality: Cardinality
    let kind: FieldKind
}

indirect enum FieldKind {
    /// An element particle; more than one member means a substitution group, held as an enum.
    case element(members: [ElementChoice], enumName: String?)
    /// A choice between alternatives, held as an enum.
    case choice(enumName: String, alternatives: [Alternative])
    /// A nested sequence with its own occurrence bounds, held as a nested struct.
    case group(structName: String, fields: [Field])
    /// An element wildcard: the V2G profile never sends one; decoding one is an `unsupported` error.
    case wildcard(uris: [String?])
    case attribute(qname: QName, leaf: LeafType, qnameID: Int)
}

enum Alternative {
    case element(ElementChoice)
    case group(caseName: String, structName: String, fields: [Field])
    case wildcard(uris: [String?])
}

final class GeneratedType {
    let swiftName: String
    let xsdName: String
    let namespace: String
    let module: String
    var attributes: [Field] = []
    var simpleContent: LeafType?
    var fields: [Field] = []
    var grammar = NormalizedGrammar(states: [])
    var terminalIDs: [Terminal: Int] = [:]
    var terminalNames: [String] = []
    /// The qname id of the element this type is the content of, when it is anonymous; used for
    /// the local string-table partition of simple content.
    var contentQNameIDs: [Int] = []
    /// Canonical description of the grammar, to check that a type shared by several message sets
    /// has the same grammar in each.
    var signature = ""
    /// The header naming the schema set (files and hashes) the type was generated from.
    var header = ""

    init(swiftName: String, xsdName: String, namespace: String, module: String) {
        self.swiftName = swiftName; self.xsdName = xsdName; self.namespace = namespace; self.module = module
    }

    func terminal(_ t: Terminal) -> Int {
        if let i = terminalIDs[t] { return i }
        return -1
    }
}
