import EXI
import Testing
import TestSupport
import V2GCapture
import V2GTrace

/// TLS 1.3 record decryption against RFC 8448 §3 ("Simple 1-RTT Handshake",
/// TLS_AES_128_GCM_SHA256): its ClientHello, ServerHello and the server's encrypted handshake
/// record (EncryptedExtensions, Certificate, CertificateVerify, Finished), with its traffic
/// secrets as an NSS key log, in a capture; the trace opens the record with the keys it derives
/// (HKDF-Expand-Label) and reads the handshake inside. Test data: the RFC's published values.
@Suite(.offPool) struct TLS13KnownAnswerTests {
    typealias B = CaptureBuilder

    static func hex(_ parts: String...) -> [UInt8] { Hex.decode(parts.joined()) ?? [] }

    static let clientRandom = "cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece7"
    static let clientHello = hex(
        "010000c00303cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece700000613011303130201",
        "0000910000000b0009000006736572766572ff01000100000a00140012001d0017001800190100010101020103010400",
        "230000003300260024001d002099381de560e4bd43d23d8e435a7dbafeb3c06e51c13cae4d5413691e529aaf2c002b00",
        "03020304000d0020001e040305030603020308040805080604010501060102010402050206020202002d00020101001c",
        "00024001")
    static let serverHello = hex(
        "020000560303a6af06a4121860dc5e6e60249cd34c95930c8ac5cb1434dac155772ed3e2692800130100002e00330024",
        "001d0020c9828876112095fe66762bdbf7c672e156d6cc253b833df1dd69b1b04e751f0f002b00020304")
    static let serverHandshakeRecord = hex(
        "17030302a2d1ff334a56f5bff6594a07cc87b580233f500f45e489e7f33af35edf7869fcf40aa40aa2b8ea73f848a7ca",
        "07612ef9f945cb960b4068905123ea78b111b429ba9191cd05d2a389280f526134aadc7fc78c4b729df828b5ecf7b13b",
        "d9aefb0e57f271585b8ea9bb355c7c79020716cfb9b1183ef3ab20e37d57a6b9d7477609aee6e122a4cf51427325250c",
        "7d0e509289444c9b3a648f1d71035d2ed65b0e3cdd0cbae8bf2d0b227812cbb360987255cc744110c453baa4fcd61092",
        "8d809810e4b7ed1a8fd991f06aa6248204797e36a6a73b70a2559c09ead686945ba246ab66e5edd8044b4c6de3fcf2a8",
        "9441ac66272fd8fb330ef8190579b3684596c960bd596eea520a56a8d650f563aad27409960dca63d3e688611ea5e22f",
        "4415cf9538d51a200c27034272968a264ed6540c84838d89f72c24461aad6d26f59ecaba9acbbb317b66d902f4f292a3",
        "6ac1b639c637ce343117b659622245317b49eeda0c6258f100d7d961ffb138647e92ea330faeea6dfa31c7a84dc3bd7e",
        "1b7a6c7178af36879018e3f252107f243d243dc7339d5684c8b0378bf30244da8c87c843f5e56eb4c5e8280a2b48052c",
        "f93b16499a66db7cca71e4599426f7d461e66f99882bd89fc50800becca62d6c74116dbd2972fda1fa80f85df881edbe",
        "5a37668936b335583b599186dc5c6918a396fa48a181d6b6fa4f9d62d513afbb992f2b992f67f8afe67f76913fa388cb",
        "5630c8ca01e0c65d11c66a1e2ac4c85977b7c7a6999bbf10dc35ae69f5515614636c0b9b68c19ed2e31c0b3b66763038",
        "ebba42f3b38edc0399f3a9f23faa63978c317fc9fa66a73f60f0504de93b5b845e275592c12335ee340bbc4fddd50278",
        "4016e4b3be7ef04dda49f4b440a30cb5d2af939828fd4ae3794e44f94df5a631ede42c1719bfdabf0253fe5175be898e",
        "750edc53370d2b")
    static let keyLog = """
        CLIENT_HANDSHAKE_TRAFFIC_SECRET \(clientRandom) b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21
        SERVER_HANDSHAKE_TRAFFIC_SECRET \(clientRandom) b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38
        CLIENT_TRAFFIC_SECRET_0 \(clientRandom) 9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5
        SERVER_TRAFFIC_SECRET_0 \(clientRandom) a11af9f05531f856ad47116b45a950328204b4f44bfb6b3a4b4f1f3fcb631643
        """

    static func capture() -> [UInt8] {
        let hello = [0x16, 0x03, 0x01, 0x00, UInt8(clientHello.count)] + clientHello
        let server = [0x16, 0x03, 0x03, 0x00, UInt8(serverHello.count)] + serverHello + serverHandshakeRecord
        return B.pcap([
            B.segment(fromEVCC: true, seq: 1000, flags: 0x02, []),
            B.segment(fromEVCC: false, seq: 5000, flags: 0x12, []),
            B.segment(fromEVCC: true, seq: 1001, hello),
            B.segment(fromEVCC: false, seq: 5001, server),
        ])
    }

    static func trace(_ keys: String) throws -> Trace {
        var parser = CaptureFileParser()
        var trace = Trace(keyLog: NSSKeyLog(keys))
        for record in try parser.feed(capture()) { trace.add(record) }
        try parser.finish()
        trace.finish()
        return trace
    }

    @Test func rfc8448ServerHandshakeRecordDecrypts() throws {
        #expect(Self.serverHandshakeRecord.count == 679)
        let trace = try Self.trace(Self.keyLog)
        #expect(trace.notes.isEmpty, "\(trace.notes.map(\.text))")
        let session = try #require(trace.tlsSessions.first)
        #expect(session.version == 0x0304)
        #expect(session.suite == 0x1301, "TLS_AES_128_GCM_SHA256")
        #expect(session.group == 0x001D, "x25519")
        // Inside the encrypted record: one certificate and an rsa_pss_rsae_sha256 CertificateVerify.
        #expect(session.serverCertificates.count == 1)
        #expect(session.serverCertificates.first?.count == 432)
        #expect(session.serverSignatureScheme == 0x0804)
        #expect(!session.statusRequested)
    }

    /// One wrong bit in the server's secret: the record does not authenticate, and nothing of
    /// what it holds is reported.
    @Test func aWrongSecretDoesNotDecrypt() throws {
        let wrong = Self.keyLog.replacingOccurrences(of: "b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38", with: "b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad30")
        let trace = try Self.trace(wrong)
        #expect(trace.notes.contains { $0.text.contains("does not decrypt with the key log's secrets") })
        #expect(trace.tlsSessions.first?.serverCertificates.isEmpty == true)
        #expect(trace.tlsSessions.first?.serverSignatureScheme == nil)
    }
}
