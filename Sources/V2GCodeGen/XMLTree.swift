import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A minimal read-only XML tree with resolved namespace scopes, enough to read XSD files.
final class XMLNode {
    let name: String          // local name of the element (prefix stripped)
    let attributes: [String: String]
    var children: [XMLNode] = []
    /// In-scope prefix → namespace URI bindings ("" is the default namespace).
    let namespaces: [String: String]

    init(name: String, attributes: [String: String], namespaces: [String: String]) {
        self.name = name
        self.attributes = attributes
        self.namespaces = namespaces
    }

    subscript(_ attribute: String) -> String? { attributes[attribute] }

    func elements(_ name: String) -> [XMLNode] { children.filter { $0.name == name } }

    /// Resolves a QName-valued attribute ("prefix:local" or "local").
    func resolve(_ qname: String) -> QName {
        if let colon = qname.firstIndex(of: ":") {
            let prefix = String(qname[..<colon])
            return QName(uri: namespaces[prefix] ?? "", local: String(qname[qname.index(after: colon)...]))
        }
        return QName(uri: namespaces[""] ?? "", local: qname)
    }
}

struct GeneratorError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// Parses a file into an `XMLNode` tree.
final class XMLTreeBuilder: NSObject, XMLParserDelegate {
    private var stack: [XMLNode] = []
    private(set) var root: XMLNode?
    private var error: Error?

    static func parse(_ url: URL) throws -> XMLNode {
        let data = try Data(contentsOf: url)
        let parser = XMLParser(data: data)
        let builder = XMLTreeBuilder()
        parser.delegate = builder
        parser.shouldProcessNamespaces = false
        parser.shouldResolveExternalEntities = false
        guard parser.parse(), let root = builder.root else {
            throw GeneratorError("cannot parse \(url.path): \(parser.parserError.map { "\($0)" } ?? "unknown error")")
        }
        return root
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        var ns = stack.last?.namespaces ?? ["xml": "http://www.w3.org/XML/1998/namespace"]
        var attrs: [String: String] = [:]
        for (k, v) in attributeDict {
            if k == "xmlns" { ns[""] = v } else if k.hasPrefix("xmlns:") { ns[String(k.dropFirst(6))] = v } else { attrs[k] = v }
        }
        let local = elementName.split(separator: ":").last.map(String.init) ?? elementName
        let node = XMLNode(name: local, attributes: attrs, namespaces: ns)
        stack.last?.children.append(node)
        stack.append(node)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        let node = stack.removeLast()
        if stack.isEmpty { root = node }
    }
}
