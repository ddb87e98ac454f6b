import Crypto
import EXI
import Foundation
import ISO20Common
import Testing
import TestSupport
import V2GCodec
import V2GPKI
import XMLDSig

/// EXI fragments: the bytes XML signatures digest and sign (PROTOCOL-NOTES §1.3).
@Suite(.offPool) struct FragmentTests {
    static let fragments = TestData.vectors.filter { $0.kind == "fragment" }

    /// Each fragment vector decodes to what its producer says it holds and re-encodes to the same bytes.
    @Test(.enabled(if: TestData.available, "no test data: set V2G_TEST_DATA or place shared/ beside the package"))
    func fragmentVectorsRoundTrip() throws {
        #expect(Self.fragments.count == 2)
        for v in Self.fragments {
            let schema = try #require(MessageSchema(namespace: v.namespace))
            let bytes = try #require(Hex.decode(v.exiHex))
            let fragment = try V2GFragment.decode(bytes, schema: schema)
            #expect(fragment.rootName == v.message)
            let ours = try JSONSerialization.jsonObject(with: Data(try fragment.jsonString().utf8))
            let described = try JSONSerialization.jsonObject(with: Data(try #require(v.describedAs).utf8))
            #expect(JSONCompare.equal(ours, described), "\(v.message)")
            #expect(try fragment.encode() == bytes, "\(v.message) re-encoded")
        }
    }

    /// The signed AuthorizationReq of the same session (frames.log:39): the SHA-256 of the EXI
    /// fragment of its PnC_AReqAuthorizationMode is the DigestValue of its Reference, and the
    /// fragment of its SignedInfo is exactly the SignedInfo vector (frames.log:35).
    @Test(.enabled(if: TestData.available, "no test data: set V2G_TEST_DATA or place shared/ beside the package"))
    func digestOfPnCFragmentMatchesTheSignedAuthorizationReq() throws {
        let request = try #require(TestData.vectors.first { $0.message == "AuthorizationReq" && $0.source.hasSuffix("iso20-dc-pnc-notls/frames.log:39") })
        guard case .authorizationReq(let req) = try CommonMessagesDocument.decodeEXI(try #require(Hex.decode(request.exiHex))) else {
            Issue.record("not an AuthorizationReq")
            return
        }
        guard case .pnC_AReqAuthorizationMode(let pnc) = req.aReqAuthorizationMode else {
            Issue.record("not a PnC authorization")
            return
        }
        let fragment = try SignatureInput.bytesToDigest(.pnC_AReqAuthorizationMode(pnc))
        let vector = try #require(Self.fragments.first { $0.message == "PnC_AReqAuthorizationMode" })
        #expect(Hex.encode(fragment, uppercase: false) == vector.exiHex)

        let signature = try #require(req.header.signature)
        let reference = try #require(signature.signedInfo.reference.first)
        #expect(reference.uri == "#" + pnc.id)
        // Josev digests with SHA-256 (the -20 profile says SHA-512; see PROTOCOL-NOTES §1.3).
        #expect(reference.digestMethod.algorithm == "http://www.w3.org/2001/04/xmlenc#sha256")
        #expect(Array(SHA256.hash(data: fragment)) == reference.digestValue)

        let toSign = try SignatureInput.bytesToSign(signature.signedInfo)
        let signedInfoVector = try #require(Self.fragments.first { $0.message == "SignedInfo" })
        #expect(Hex.encode(toSign, uppercase: false) == signedInfoVector.exiHex)
    }

    /// The same AuthorizationReq through the -20 verifier: Josev signs with ecdsa-sha256 over a P-256
    /// contract key, outside the profile. The verifier names the algorithm (the SECC answers
    /// FAILED_SignatureError) and does not get as far as a key: none of Josev's would be accepted.
    @Test(.enabled(if: TestData.available, "no test data: set V2G_TEST_DATA or place shared/ beside the package"))
    func josevsP256SignatureIsOutsideTheProfile() throws {
        let request = try #require(TestData.vectors.first { $0.message == "AuthorizationReq" && $0.source.hasSuffix("iso20-dc-pnc-notls/frames.log:39") })
        guard case .authorizationReq(let req) = try CommonMessagesDocument.decodeEXI(try #require(Hex.decode(request.exiHex))),
              case .pnC_AReqAuthorizationMode(let pnc) = req.aReqAuthorizationMode else {
            Issue.record("not a PnC AuthorizationReq")
            return
        }
        let signature = try #require(req.header.signature)
        let element = try #require(SignedElement(.pnC_AReqAuthorizationMode(pnc)))
        #expect(throws: XMLSignatureFailure.unsupportedKey) {
            try XMLSignatureVerifyingKey(certificateDER: pnc.contractCertificateChain.certificate)
        }
        let anyProfileKey = XMLSignatureVerifyingKey.p521(P521.Signing.PrivateKey().publicKey)
        #expect(XMLSignature.verify(signature, covering: [element], with: anyProfileKey)
                == .failure(.unsupportedAlgorithm("http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256")))
    }

    @Test func fragmentEventCodes() throws {
        // PnC_AReqAuthorizationMode is fragment element 151 of 9 bits in CommonMessages (Josev and
        // libcbv2g agree); SignedInfo is 32 of 6 bits in the xmldsig-alone grammar.
        #expect(CommonMessagesFragment.eventCodeBits == 9)
        #expect(XMLDSigFragment.eventCodeBits == 6)
        let si = SignedInfoType(canonicalizationMethod: CanonicalizationMethodType(algorithm: "a"),
                                signatureMethod: SignatureMethodType(algorithm: "b"),
                                reference: [ReferenceType(digestMethod: DigestMethodType(algorithm: "c"), digestValue: [1])])
        let bytes = try SignatureInput.bytesToSign(si)
        var d = EXIDecoder(bytes)
        try d.readHeader()
        #expect(try d.readNBit(bits: 6) == 32)
    }

    @Test(arguments: [MessageSchema.common, .dc, .ac, .wpt, .acdp, .xmldsig])
    func fragmentsRoundTripAndRejectMalformedInput(schema: MessageSchema) throws {
        let coder = try #require(schema.fragmentCoder)
        var r = SeededRandom(seed: 777 &+ UInt64(MessageSchema.allCases.firstIndex(of: schema)!))
        var encoded: [[UInt8]] = []
        for root in 0..<coder.rootCount {
            for depth in [2, 6, EXIRandom.maximal] {
                let value = coder.exiRandom(root: root, &r, depth: depth)
                let result = Result { () throws(EXIError) -> [UInt8] in try value.encodeEXI(options: .default) }
                guard case .success(let bytes) = result else { continue }
                let back = try coder.decodeEXI(bytes)
                #expect(AnyHashable(back) == AnyHashable(value), "\(value.rootName)")
                encoded.append(bytes)
            }
        }
        #expect(!encoded.isEmpty)
        // Mutate the small ones: each malformed case should cost microseconds, not a 100 KB decode.
        let seeds = encoded.filter { $0.count <= 2048 }
        var values = 0, errors = 0
        for i in 0..<MalformedInputTests.casesPerSchema {
            var bytes = seeds[i % seeds.count]
            let p = Int.random(in: 0..<bytes.count, using: &r)
            if i % 3 == 0 { bytes = Array(bytes.prefix(p)) } else { bytes[p] ^= UInt8.random(in: 1...255, using: &r) }
            do { _ = try coder.decodeEXI(bytes); values += 1 } catch { errors += 1 }
        }
        #expect(values + errors == MalformedInputTests.casesPerSchema)
        print("fragments \(schema.rawValue): \(coder.rootCount) signable roots, \(encoded.count) round trips, \(MalformedInputTests.casesPerSchema) malformed cases (\(errors) typed errors)")
    }
}
