import EXI
import Foundation
import ISO20AC
import ISO20ACDER
import ISO20Common
import Testing
import TestSupport

/// The codec of ISO 15118-20 Amendment 1's AC-DER (IEC) message set (`ISO20ACDER`, generated
/// from `schemas/iso15118-20-amd1/V2G_CI_AC_DER_IEC.xsd`): the AC messages with the DER energy
/// transfer modes and control modes in their substitution groups. Its extra global elements sort
/// after the AC ones (`DER_…`) and fit the same event-code widths, so a plain AC message is the
/// same bytes under both grammars; only the DER substitutions are new on the wire. No independent
/// encoder has vectors for it yet: these are our own encoder's, round-tripped, with one golden
/// vector fixed here so that a change of the generated grammar shows.
@Suite(.offPool) struct ACDERCodecTests {
    static let header = MessageHeaderType(sessionID: [0x43, 0x5F, 0xC6, 0x9B, 0x67, 0xAC, 0xF6, 0x07], timeStamp: 1_795_542_185)
    static func r(_ value: Int16, _ exponent: Int8 = 0) -> RationalNumberType { RationalNumberType(exponent: exponent, value: value) }

    /// An EV offering DER (11 kW both ways) in AC_ChargeParameterDiscoveryReq.
    static let derRequest = ACDERDocument.ac_ChargeParameterDiscoveryReq(AC_ChargeParameterDiscoveryReqType(
        header: header, ac_CPDReqEnergyTransferMode: .der_AC_CPDReqEnergyTransferMode(DER_AC_CPDReqEnergyTransferModeType(
            evMaximumChargePower: r(11, 3), evMinimumChargePower: r(1380), evProcessing: .finished,
            evMaximumDischargePower: r(11, 3), evMinimumDischargePower: r(1380)))))

    /// Our encoder's bytes for `derRequest` (EXI 1.0, schema-informed, the -20 profile).
    static let derRequestHex = "80100421AFE34DB3D67B038A99997D806308300B220039028804180591001C814400"

    @Test func derChargeParameterDiscoveryRoundTrips() throws {
        let bytes = try Self.derRequest.encodeEXI()
        #expect(try ACDERDocument.decodeEXI(bytes) == Self.derRequest)
        #expect(Hex.encode(bytes) == Self.derRequestHex, "golden vector changed: \(Hex.encode(bytes))")
        #expect(try ACDERDocument.decodeEXI(#require(Hex.decode(Self.derRequestHex))) == Self.derRequest)
        #expect(ACDERDocument.peekMessage(bytes) == .ac_ChargeParameterDiscoveryReq)
        // JSON in the vectors' shape round-trips too.
        let json = try JSONEncoder().encode(Self.derRequest)
        #expect(try JSONDecoder().decode(ACDERDocument.self, from: json) == Self.derRequest)
        #expect(String(decoding: json, as: UTF8.self).contains("DER_AC_CPDReqEnergyTransferMode"))
    }

    /// A plain AC message is the same bytes under -20:AC and AC-DER (an AC-DER receiver reads a
    /// plain AC sender); a DER substitution is refused by the -20:AC decoder with a typed error.
    @Test func plainACIsWireCompatibleAndDERIsRefusedByPlainAC() throws {
        let base = ACDocument.ac_ChargeParameterDiscoveryReq(ISO20AC.AC_ChargeParameterDiscoveryReqType(
            header: Self.header, ac_CPDReqEnergyTransferMode: .ac_CPDReqEnergyTransferMode(ISO20AC.AC_CPDReqEnergyTransferModeType(
                evMaximumChargePower: Self.r(11, 3), evMinimumChargePower: Self.r(1380)))))
        let der = ACDERDocument.ac_ChargeParameterDiscoveryReq(AC_ChargeParameterDiscoveryReqType(
            header: Self.header, ac_CPDReqEnergyTransferMode: .ac_CPDReqEnergyTransferMode(AC_CPDReqEnergyTransferModeType(
                evMaximumChargePower: Self.r(11, 3), evMinimumChargePower: Self.r(1380)))))
        #expect(try base.encodeEXI() == der.encodeEXI())
        #expect(try ACDERDocument.decodeEXI(base.encodeEXI()) == der)
        let derBytes = try Self.derRequest.encodeEXI()
        #expect(throws: EXIError.self) { try ACDocument.decodeEXI(derBytes) }
    }

    /// Every root of the set, at random and at its largest, value → bytes → value.
    @Test func everyRootRoundTrips() throws {
        var r = SeededRandom(seed: 0xDE2)
        var encoded = 0
        for root in 0..<ACDERDocument.rootCount {
            for depth in [3, 6, EXIRandom.maximal] {
                let value = ACDERDocument.exiRandom(root: root, &r, depth: depth)
                let bytes: [UInt8]
                do { bytes = try value.encodeEXI() } catch {
                    #expect(error.kind == .unsupported, "\(value.rootName): \(error)")
                    continue
                }
                #expect(try ACDERDocument.decodeEXI(bytes) == value, "\(value.rootName)")
                encoded += 1
            }
        }
        #expect(encoded >= ACDERDocument.rootCount * 2)
    }
}
