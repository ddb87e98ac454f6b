import EXI
/// One TLS 1.3 connection of a capture, read from both directions' byte streams: the plaintext
/// handshake (ClientHello, ServerHello), then, with the session's secrets from a key log, the
/// protected records: the rest of the handshake (certificates, CertificateVerify, Finished,
/// KeyUpdate) and the application data, which is the V2GTP stream.
struct TLS13Connection: Sendable {
    /// What the handshake showed: what a trace reports about the TLS profile.
    struct Handshake: Sendable, Hashable {
        var clientRandom: [UInt8]?
        var offeredSuites: [UInt16] = []
        var offeredGroups: [UInt16] = []
        var statusRequest = false
        var version: UInt16?
        var suite: UInt16?
        var group: UInt16?
        var helloRetry = false
        var serverCertificates: [[UInt8]] = []
        var clientCertificates: [[UInt8]] = []
        var serverStapledOCSP = false
        var serverSignatureScheme: UInt16?
        var clientSignatureScheme: UInt16?
        var alerts: [String] = []
    }

    enum Output: Sendable, Hashable {
        case applicationData(fromClient: Bool, [UInt8])
        case note(String)
    }

    private struct Direction: Sendable {
        var buffer: [UInt8] = []
        var protection: TLS13RecordProtection?
        var handshakeBytes: [UInt8] = []
        var failed = false
        var encryptedWithoutKeys = false
    }

    private(set) var handshake = Handshake()
    private var client = Direction(), server = Direction()
    private var secrets: NSSKeyLog.Secrets?
    private var cipher: TLS13RecordProtection.Cipher?

    /// Bytes of one direction, in order.
    mutating func feed(fromClient: Bool, _ bytes: [UInt8], keys: NSSKeyLog) -> [Output] {
        var d = fromClient ? client : server
        defer { if fromClient { client = d } else { server = d } }
        guard !d.failed else { return [] }
        d.buffer.append(contentsOf: bytes)
        var out: [Output] = []
        var at = 0
        while d.buffer.count - at >= 5 {
            let type = d.buffer[at], length = Int(d.buffer[at + 3]) << 8 | Int(d.buffer[at + 4])
            guard length <= 16_384 + 256 else {
                d.failed = true
                out.append(.note("a TLS record of \(length) bytes: not TLS, or the stream is out of step"))
                break
            }
            guard d.buffer.count - at >= 5 + length else { break }
            let header = Array(d.buffer[at..<(at + 5)]), body = Array(d.buffer[(at + 5)..<(at + 5 + length)])
            at += 5 + length
            out += record(type, header, body, fromClient, &d, keys)
            if d.failed { break }
        }
        d.buffer.removeFirst(min(at, d.buffer.count))
        return out
    }

    /// The stream of one direction lost bytes: its records cannot be followed any more.
    mutating func gap(fromClient: Bool) -> [Output] {
        if fromClient { client.failed = true } else { server.failed = true }
        return [.note("a gap in the \(fromClient ? "client's" : "server's") TLS stream: its records cannot be decrypted further")]
    }

    private mutating func record(_ type: UInt8, _ header: [UInt8], _ body: [UInt8], _ fromClient: Bool, _ d: inout Direction,
                                 _ keys: NSSKeyLog) -> [Output] {
        switch type {
        case 22 where d.protection == nil:
            return handshakeMessages(body, fromClient, &d, keys)
        case 20:
            return []  // ChangeCipherSpec: middlebox compatibility only
        case 21 where d.protection == nil:
            handshake.alerts.append("\(fromClient ? "client" : "server") alert \(body.count >= 2 ? Self.alertName(body[1]) : "?")")
            return []
        case 23, 21, 22:
            guard d.protection != nil else {
                if !d.encryptedWithoutKeys {
                    d.encryptedWithoutKeys = true
                    let random = handshake.clientRandom.map { Hex.encode(Array($0.prefix(8)), uppercase: false) } ?? "?"
                    return [.note("the \(fromClient ? "client's" : "server's") records are encrypted and the key log has no secrets for this session (client random \(random)…)")]
                }
                return []
            }
            guard let (inner, content) = d.protection?.open(header: header, body: body) else {
                d.failed = true
                return [.note("a \(fromClient ? "client" : "server") TLS record does not decrypt with the key log's secrets (a wrong key log?)")]
            }
            switch inner {
            case 23: return [.applicationData(fromClient: fromClient, content)]
            case 22: return handshakeMessages(content, fromClient, &d, keys)
            case 21:
                handshake.alerts.append("\(fromClient ? "client" : "server") alert \(content.count >= 2 ? Self.alertName(content[1]) : "?")")
                return []
            default: return []
            }
        default:
            d.failed = true
            return [.note("TLS record type \(type) where none belongs: the stream is out of step")]
        }
    }

    /// Handshake messages (they may span records; several may share one).
    private mutating func handshakeMessages(_ bytes: [UInt8], _ fromClient: Bool, _ d: inout Direction, _ keys: NSSKeyLog) -> [Output] {
        d.handshakeBytes.append(contentsOf: bytes)
        var out: [Output] = []
        while d.handshakeBytes.count >= 4 {
            let length = Int(d.handshakeBytes[1]) << 16 | Int(d.handshakeBytes[2]) << 8 | Int(d.handshakeBytes[3])
            guard d.handshakeBytes.count >= 4 + length else { break }
            let type = d.handshakeBytes[0], message = Array(d.handshakeBytes[4..<(4 + length)])
            d.handshakeBytes.removeFirst(4 + length)
            switch type {
            case 1: clientHello(message)
            case 2 where !fromClient: out += serverHello(message, &d, keys)
            case 11: certificates(message, fromClient)
            case 15: if message.count >= 2 {
                let scheme = UInt16(message[0]) << 8 | UInt16(message[1])
                if fromClient { handshake.clientSignatureScheme = scheme } else { handshake.serverSignatureScheme = scheme }
            }
            case 20:
                // Finished: this direction's application traffic secret from now on.
                let secret = fromClient ? secrets?.clientApplication : secrets?.serverApplication
                if let cipher, let secret { d.protection = TLS13RecordProtection(cipher: cipher, secret: secret) }
                else { d.protection = nil; d.failed = true; out.append(.note("the key log has no application traffic secret for the \(fromClient ? "client" : "server")")) }
            case 24:
                d.protection?.update()
            default:
                break
            }
        }
        return out
    }

    private mutating func clientHello(_ m: [UInt8]) {
        guard m.count >= 38 else { return }
        handshake.clientRandom = Array(m[2..<34])
        var at = 34
        guard let sid = m.u8(at) else { return }
        at += 1 + Int(sid)
        guard let suitesLength = m.u16(at) else { return }
        handshake.offeredSuites = stride(from: at + 2, to: at + 2 + Int(suitesLength), by: 2).compactMap { m.u16($0) }
        at += 2 + Int(suitesLength)
        guard let compression = m.u8(at) else { return }
        at += 1 + Int(compression)
        Self.extensions(m, from: at) { type, value in
            if type == 5 { handshake.statusRequest = true }
            if type == 10, let n = value.u16(0) { handshake.offeredGroups = stride(from: 2, to: 2 + Int(n), by: 2).compactMap { value.u16($0) } }
        }
    }

    private static let helloRetryRandom: [UInt8] = Hex.decode("CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C")!

    /// `d`: the server's direction (being fed: it is written back when the feed ends).
    private mutating func serverHello(_ m: [UInt8], _ d: inout Direction, _ keys: NSSKeyLog) -> [Output] {
        guard m.count >= 38 else { return [] }
        let random = Array(m[2..<34])
        var at = 34
        guard let sid = m.u8(at) else { return [] }
        at += 1 + Int(sid)
        guard let suite = m.u16(at) else { return [] }
        at += 3
        var version: UInt16 = 0x0303
        var group: UInt16?
        Self.extensions(m, from: at) { type, value in
            if type == 43, let v = value.u16(0) { version = v }
            if type == 51 { group = value.u16(0) }
        }
        if random == Self.helloRetryRandom {
            // HelloRetryRequest: the group the client must use; the real ServerHello follows.
            handshake.helloRetry = true
            return []
        }
        handshake.version = version
        handshake.suite = suite
        handshake.group = group
        guard version == 0x0304 else { return [.note("TLS version 0x\(String(version, radix: 16)) (not TLS 1.3): not decrypted")] }
        guard let c = TLS13RecordProtection.Cipher(rawValue: suite) else { return [.note("cipher suite 0x\(String(suite, radix: 16)) is not one this trace decrypts")] }
        cipher = c
        guard let clientRandom = handshake.clientRandom, let s = keys.sessions[clientRandom] else { return [] }
        secrets = s
        if let secret = s.serverHandshake { d.protection = TLS13RecordProtection(cipher: c, secret: secret) }
        if let secret = s.clientHandshake { client.protection = TLS13RecordProtection(cipher: c, secret: secret) }
        return []
    }

    private mutating func certificates(_ m: [UInt8], _ fromClient: Bool) {
        guard let contextLength = m.u8(0) else { return }
        var at = 1 + Int(contextLength) + 3
        var chain: [[UInt8]] = []
        while let l1 = m.u8(at), let l2 = m.u16(at + 1) {
            let length = Int(l1) << 16 | Int(l2)
            guard let der = m.slice(at + 3, length) else { break }
            chain.append(der)
            at += 3 + length
            guard let extensionsLength = m.u16(at) else { break }
            // An OCSP staple rides in the leaf's status_request extension (RFC 8446 §4.4.2.1).
            if !fromClient, chain.count == 1, extensionsLength > 0 {
                Self.extensions(m.slice(at + 2, Int(extensionsLength)) ?? [], from: -2, sized: false) { type, _ in
                    if type == 5 { handshake.serverStapledOCSP = true }
                }
            }
            at += 2 + Int(extensionsLength)
        }
        if fromClient { handshake.clientCertificates = chain } else { handshake.serverCertificates = chain }
    }

    /// Extensions from `from`: a 2-byte total length (unless `sized` is false), then type, length, value.
    private static func extensions(_ m: [UInt8], from: Int, sized: Bool = true, _ each: (UInt16, [UInt8]) -> Void) {
        var at = sized ? from + 2 : 0
        let end = sized ? min(m.count, from + 2 + Int(m.u16(from) ?? 0)) : m.count
        while at + 4 <= end, let type = m.u16(at), let length = m.u16(at + 2), let value = m.slice(at + 4, Int(length)) {
            each(type, value)
            at += 4 + Int(length)
        }
    }

    static func alertName(_ code: UInt8) -> String {
        switch code {
        case 0: return "close_notify"
        case 10: return "unexpected_message"
        case 20: return "bad_record_mac"
        case 40: return "handshake_failure"
        case 42: return "bad_certificate"
        case 43: return "unsupported_certificate"
        case 44: return "certificate_revoked"
        case 45: return "certificate_expired"
        case 46: return "certificate_unknown"
        case 47: return "illegal_parameter"
        case 48: return "unknown_ca"
        case 51: return "decrypt_error"
        case 70: return "protocol_version"
        case 71: return "insufficient_security"
        case 80: return "internal_error"
        case 109: return "missing_extension"
        case 112: return "unrecognized_name"
        case 113: return "bad_certificate_status_response"
        case 116: return "certificate_required"
        case 120: return "no_application_protocol"
        default: return "\(code)"
        }
    }
}
