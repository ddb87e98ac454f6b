import Crypto
import Foundation
import X509

/// A complete ISO 15118-20 test PKI (PROTOCOL-NOTES §6), every key secp521r1, every signature
/// ecdsa-with-SHA512:
///
/// - V2G root → CPO Sub-CA 1 (pathLen 1) → CPO Sub-CA 2 (pathLen 0) → SECC leaf (CN = EVSEID)
/// - OEM root → OEM Sub-CA 1 → OEM Sub-CA 2 → vehicle certificate (CN = EVCCID, O = OEM, EKU
///   clientAuth) and OEM provisioning certificate
/// - MO root → MO Sub-CA 1 → MO Sub-CA 2 → contract certificate (CN = eMAID)
/// - V2G root → CPS Sub-CA 1 → CPS Sub-CA 2 → CPS leaf (signs SignedInstallationData)
/// - an OCSP signer for every CA
public struct TestPKI: Sendable {
    public struct Options: Sendable {
        public var evseID = "DE*SWI*E1234567"
        public var evccID = "WMIV1234567890ABCDEX"
        public var emaid = "DESWIC123456789"
        public var oemName = "swift-iso15118 Test OEM"
        public var organization = "swift-iso15118 Test"
        public var country = "DE"
        public var now = Date()
        public init() {}
    }

    public let v2gRoot, cpoSubCA1, cpoSubCA2, secc: Credential
    public let oemRoot, oemSubCA1, oemSubCA2, vehicle, oemProvisioning: Credential
    public let moRoot, moSubCA1, moSubCA2, contract: Credential
    public let cpsSubCA1, cpsSubCA2, cps: Credential
    /// OCSP responder certificates, by the file stem of the CA that issued them.
    public let ocspSigners: [String: Credential]

    /// SECC chain as sent in TLS: leaf, Sub-CA 2, Sub-CA 1 (the root stays with the verifier).
    public var seccChain: [Certificate] { [secc.certificate, cpoSubCA2.certificate, cpoSubCA1.certificate] }
    public var vehicleChain: [Certificate] { [vehicle.certificate, oemSubCA2.certificate, oemSubCA1.certificate] }
    public var oemProvisioningChain: [Certificate] { [oemProvisioning.certificate, oemSubCA2.certificate, oemSubCA1.certificate] }
    public var contractChain: [Certificate] { [contract.certificate, moSubCA2.certificate, moSubCA1.certificate] }
    public var cpsChain: [Certificate] { [cps.certificate, cpsSubCA2.certificate, cpsSubCA1.certificate] }

    public init(_ options: Options = Options()) throws {
        let issued = try Self.issueLayout(options) { entry, issuer in
            try CertificateIssuer.issue(role: entry.role, subject: try Self.distinguishedName(entry.subject), issuer: issuer, now: options.now)
        }
        func take(_ name: String) throws -> Credential {
            guard let credential = issued[name] else { throw PKIFiles.Failure.unreadable(name) }
            return credential
        }
        v2gRoot = try take("v2g-root"); cpoSubCA1 = try take("cpo-subca1"); cpoSubCA2 = try take("cpo-subca2"); secc = try take("secc")
        oemRoot = try take("oem-root"); oemSubCA1 = try take("oem-subca1"); oemSubCA2 = try take("oem-subca2")
        vehicle = try take("vehicle"); oemProvisioning = try take("oem-provisioning")
        moRoot = try take("mo-root"); moSubCA1 = try take("mo-subca1"); moSubCA2 = try take("mo-subca2"); contract = try take("contract")
        cpsSubCA1 = try take("cps-subca1"); cpsSubCA2 = try take("cps-subca2"); cps = try take("cps")
        ocspSigners = Dictionary(uniqueKeysWithValues: Self.certificateAuthorityNames.compactMap { ca in
            issued["ocsp/\(ca)-ocsp"].map { (ca, $0) }
        })
    }

    /// Every certificate of `layout`, issued in its order by `issue` (given the entry and its
    /// issuer's credential, nil for a root), by file stem. Shared by the P-521 and Ed448 PKIs.
    public static func issueLayout<Issued>(_ options: Options, _ issue: (LayoutEntry, Issued?) throws -> Issued) throws -> [String: Issued] {
        var issued: [String: Issued] = [:]
        for entry in layout(options) {
            let issuer = try entry.issuer.map { name in
                guard let issuer = issued[name] else { throw PKIFiles.Failure.unreadable("issuer \(name) of \(entry.name)") }
                return issuer
            }
            issued[entry.name] = try issue(entry, issuer)
        }
        return issued
    }

    /// A layout subject as a swift-certificates name, attributes in order.
    static func distinguishedName(_ pairs: [(String, String)]) throws -> DistinguishedName {
        DistinguishedName(try pairs.flatMap { attribute, value -> DistinguishedName in
            switch attribute {
            case "DC": return try DistinguishedName { DomainComponent(value) }
            case "C": return try DistinguishedName { CountryName(value) }
            case "O": return try DistinguishedName { OrganizationName(value) }
            default: return try DistinguishedName { CommonName(value) }
            }
        })
    }

    /// One certificate of the test PKI's trees: its file stem, role, subject and issuer's stem.
    public struct LayoutEntry: Sendable {
        public let name: String
        public let role: CertificateRole
        /// (attribute, value) pairs in order: DC, C, O, CN (the vehicle certificate: O, CN).
        public let subject: [(String, String)]
        public let issuer: String?
    }

    /// The trees of the test PKI, each issuer before what it issues: V2G root → CPO Sub-CAs →
    /// SECC; OEM root → OEM Sub-CAs → vehicle and OEM provisioning; MO root → MO Sub-CAs →
    /// contract; V2G root → CPS Sub-CAs → CPS; an OCSP signer per CA (`ocsp/CA-ocsp`).
    public static func layout(_ options: Options) -> [LayoutEntry] {
        func dn(_ cn: String, _ dc: String) -> [(String, String)] {
            [("DC", dc), ("C", options.country), ("O", options.organization), ("CN", cn)]
        }
        var entries: [LayoutEntry] = [
            LayoutEntry(name: "v2g-root", role: .root, subject: dn("V2G Root CA", "V2G"), issuer: nil),
            LayoutEntry(name: "cpo-subca1", role: .subCA1, subject: dn("CPO Sub-CA 1", "CPO"), issuer: "v2g-root"),
            LayoutEntry(name: "cpo-subca2", role: .subCA2, subject: dn("CPO Sub-CA 2", "CPO"), issuer: "cpo-subca1"),
            LayoutEntry(name: "secc", role: .secc, subject: dn(options.evseID, "CPO"), issuer: "cpo-subca2"),
            LayoutEntry(name: "oem-root", role: .root, subject: dn("OEM Root CA", "OEM"), issuer: nil),
            LayoutEntry(name: "oem-subca1", role: .subCA1, subject: dn("OEM Sub-CA 1", "OEM"), issuer: "oem-root"),
            LayoutEntry(name: "oem-subca2", role: .subCA2, subject: dn("OEM Sub-CA 2", "OEM"), issuer: "oem-subca1"),
            // [V2G20-2598]: the vehicle certificate's subject is CN = EVCCID and O = OEM, nothing else.
            LayoutEntry(name: "vehicle", role: .vehicle, subject: [("O", options.oemName), ("CN", options.evccID)], issuer: "oem-subca2"),
            LayoutEntry(name: "oem-provisioning", role: .oemProvisioning, subject: dn(options.evccID, "OEM"), issuer: "oem-subca2"),
            LayoutEntry(name: "mo-root", role: .root, subject: dn("MO Root CA", "MO"), issuer: nil),
            LayoutEntry(name: "mo-subca1", role: .subCA1, subject: dn("MO Sub-CA 1", "MO"), issuer: "mo-root"),
            LayoutEntry(name: "mo-subca2", role: .subCA2, subject: dn("MO Sub-CA 2", "MO"), issuer: "mo-subca1"),
            LayoutEntry(name: "contract", role: .contract, subject: dn(options.emaid, "MO"), issuer: "mo-subca2"),
            LayoutEntry(name: "cps-subca1", role: .subCA1, subject: dn("CPS Sub-CA 1", "CPS"), issuer: "v2g-root"),
            LayoutEntry(name: "cps-subca2", role: .subCA2, subject: dn("CPS Sub-CA 2", "CPS"), issuer: "cps-subca1"),
            LayoutEntry(name: "cps", role: .cps, subject: dn("CPS Leaf", "CPS"), issuer: "cps-subca2"),
        ]
        let cas = entries.filter { $0.role.isCA }
        for ca in cas {
            let cn = ca.subject.last { $0.0 == "CN" }?.1 ?? ca.name
            entries.append(LayoutEntry(name: "ocsp/\(ca.name)-ocsp", role: .ocspSigner, subject: dn("\(cn) OCSP Responder", "OCSP"), issuer: ca.name))
        }
        return entries
    }

    /// The file stems of a leaf's chain as TLS sends it: the leaf, then its Sub-CAs up to (not
    /// including) the root. A CA's own name alone for CAs.
    public static func chainNames(_ leaf: String) -> [String] {
        let entries = Dictionary(uniqueKeysWithValues: layout(Options()).map { ($0.name, $0) })
        guard let entry = entries[leaf], !entry.role.isCA else { return [leaf] }
        var names = [leaf]
        var issuer = entry.issuer
        while let name = issuer, let ca = entries[name], ca.role != .root {
            names.append(name)
            issuer = ca.issuer
        }
        return names
    }

    /// The file stems of the CAs, in `certificateAuthorities` order.
    public static let certificateAuthorityNames = layout(Options()).filter(\.role.isCA).map(\.name)

    /// The CAs by the file stem they are written under.
    public var certificateAuthorities: [(name: String, credential: Credential)] {
        Array(zip(Self.certificateAuthorityNames, [v2gRoot, cpoSubCA1, cpoSubCA2, oemRoot, oemSubCA1, oemSubCA2,
                                                   moRoot, moSubCA1, moSubCA2, cpsSubCA1, cpsSubCA2]))
    }

    /// Every credential with the file stem it is written under.
    public var files: [(name: String, credential: Credential, chain: [Certificate]?)] {
        var out: [(String, Credential, [Certificate]?)] = [
            ("v2g-root", v2gRoot, nil), ("cpo-subca1", cpoSubCA1, nil), ("cpo-subca2", cpoSubCA2, nil), ("secc", secc, seccChain),
            ("oem-root", oemRoot, nil), ("oem-subca1", oemSubCA1, nil), ("oem-subca2", oemSubCA2, nil),
            ("vehicle", vehicle, vehicleChain), ("oem-provisioning", oemProvisioning, oemProvisioningChain),
            ("mo-root", moRoot, nil), ("mo-subca1", moSubCA1, nil), ("mo-subca2", moSubCA2, nil), ("contract", contract, contractChain),
            ("cps-subca1", cpsSubCA1, nil), ("cps-subca2", cpsSubCA2, nil), ("cps", cps, cpsChain),
        ]
        for (name, signer) in ocspSigners.sorted(by: { $0.key < $1.key }) { out.append(("ocsp/\(name)-ocsp", signer, nil)) }
        return out
    }

    /// Writes `NAME.pem` (certificate), `NAME.key.pem` (PKCS#8 private key, encrypted with
    /// PBES2/PBKDF2-HMAC-SHA256/AES-256-CBC when a passphrase is given), `NAME-chain.pem` for the
    /// leaves (leaf, Sub-CA 2, Sub-CA 1) and `manifest.json`.
    public func write(to directory: URL, passphrase: String? = nil) throws {
        let fm = FileManager.default
        try fm.createDirectory(at: directory.appendingPathComponent("ocsp"), withIntermediateDirectories: true)
        var manifest: [[String: String]] = []
        let encryption = try passphrase.map { try PrivateKeyPEM.Encryption(passphrase: $0) }
        for (name, credential, chain) in files {
            let certPEM = try credential.certificate.serializeAsPEM().pemString + "\n"
            try Data(certPEM.utf8).write(to: directory.appendingPathComponent("\(name).pem"))
            let keyPEM = try PrivateKeyPEM.encode(credential.privateKey, encryption: encryption)
            let keyURL = directory.appendingPathComponent("\(name).key.pem")
            try Data(keyPEM.utf8).write(to: keyURL)
            try fm.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keyURL.path)
            var entry = ["name": name, "role": credential.role.rawValue, "subject": credential.certificate.subject.description,
                         "issuer": credential.certificate.issuer.description, "certificate": "\(name).pem",
                         "key": "\(name).key.pem", "notAfter": ISO8601DateFormatter().string(from: credential.certificate.notValidAfter)]
            if let chain {
                let text = try chain.map { try $0.serializeAsPEM().pemString }.joined(separator: "\n") + "\n"
                try Data(text.utf8).write(to: directory.appendingPathComponent("\(name)-chain.pem"))
                entry["chain"] = "\(name)-chain.pem"
            }
            manifest.append(entry)
        }
        let json = try JSONSerialization.data(withJSONObject: ["keyType": "secp521r1", "signature": "ecdsa-with-SHA512",
                                                               "encryptedKeys": passphrase != nil, "credentials": manifest],
                                              options: [.prettyPrinted, .sortedKeys])
        try json.write(to: directory.appendingPathComponent("manifest.json"))
    }
}
