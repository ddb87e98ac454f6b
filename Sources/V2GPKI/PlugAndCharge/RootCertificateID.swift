import EXI
import X509
import XMLDSig

extension X509IssuerSerialType {
    /// The ID of a root certificate as CertificateInstallationReq lists the EV's trust anchors
    /// (ListOfRootCertificateIDs): its issuer name (RFC 4514 text) and serial number.
    public init(certificate: Certificate) {
        self.init(x509IssuerName: certificate.issuer.description,
                  x509SerialNumber: BigInteger(decimal: Self.decimal(Array(certificate.serialNumber.bytes))) ?? BigInteger(0))
    }

    /// Whether this ID names `certificate`.
    public func names(_ certificate: Certificate) -> Bool {
        self == X509IssuerSerialType(certificate: certificate)
    }

    /// A non-negative big-endian integer in decimal, by repeated division.
    static func decimal(_ bigEndian: [UInt8]) -> String {
        var number = Array(bigEndian.drop { $0 == 0 })
        guard !number.isEmpty else { return "0" }
        var digits: [Character] = []
        while !number.isEmpty {
            var remainder = 0
            var quotient: [UInt8] = []
            for byte in number {
                let value = remainder * 256 + Int(byte)
                let q = value / 10
                remainder = value % 10
                if !(quotient.isEmpty && q == 0) { quotient.append(UInt8(q)) }
            }
            digits.append(Character(String(remainder)))
            number = quotient
        }
        return String(digits.reversed())
    }
}
