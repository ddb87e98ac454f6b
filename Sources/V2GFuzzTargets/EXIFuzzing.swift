import EXI
import V2GCodec

/// The EXI decoder of every message set. The first byte picks the set (and whether the rest is a
/// document or a signable fragment); whatever decodes must encode, and decode back to itself.
enum EXIFuzzing {
    static let schemas: [MessageSchema] = [.sap, .common, .dc, .ac, .wpt, .acdp, .xmldsig]

    static func run(_ bytes: [UInt8]) throws(FuzzFinding) {
        guard let first = bytes.first else { return }
        let schema = schemas[Int(first & 0x7F) % schemas.count]
        let payload = Array(bytes.dropFirst())
        if first & 0x80 != 0 {
            guard let fragment = try? V2GFragment.decode(payload, schema: schema) else { return }
            let again: V2GFragment
            do { again = try V2GFragment.decode(try fragment.encode(), schema: schema) } catch {
                throw FuzzFinding(.exi, "a \(schema) fragment decoded but does not re-encode and decode: \(error)")
            }
            if again != fragment { throw FuzzFinding(.exi, "a \(schema) fragment changed through encode and decode") }
        } else {
            guard let document = try? V2GDocument.decode(payload, schema: schema) else { return }
            let again: V2GDocument
            do { again = try V2GDocument.decode(try document.encode(), schema: schema) } catch {
                throw FuzzFinding(.exi, "a \(schema) \(document.rootName) decoded but does not re-encode and decode: \(error)")
            }
            if again != document { throw FuzzFinding(.exi, "a \(schema) \(document.rootName) changed through encode and decode") }
        }
    }
}
