import Foundation
import ISO20Common
import Testing
import TestSupport
import V2GPKI
import V2GSession
import XMLDSig

/// Signed price schedules: the SECC gives each price schedule of ScheduleExchangeRes an Id and
/// sends it with a Signature (the signer's chain in KeyInfo); the EVCC has it checked for its
/// controller and goes on either way. The check itself is PriceScheduleCheck's, run here on what
/// crossed the wire: forged, tampered and untrusted signatures are refused.
@Suite(.offPool) struct SignedPriceScheduleTests {
    static var pki: TestPKI { PlugAndChargeTests.pki }
    static var signerChain: [[UInt8]] { try! pki.seccChain.map { try $0.derBytes } }  // fixture
    static var check: PriceScheduleCheck { PriceScheduleCheck(trustedRootsDER: [try! pki.v2gRoot.certificate.derBytes]) }  // fixture

    static func pair(mode: ControlMode, pricing: EnergyService.Pricing = .priceLevels, signs: Bool = true) -> SessionPair {
        var configuration = SECCConfiguration(evseID: "DE*SWI*E1234567", energyServices: [.dc(pricing: pricing)],
                                              absoluteTariff: .flatEnergyPrice(perKWh: 0.39))
        configuration.signsPriceSchedules = signs
        var pair = SessionPair(secc: SECCSession(configuration: configuration), evcc: EVCCConfiguration(evccID: "WMIV1234567890ABCDEX", controlMode: mode))
        pair.signPriceSchedules = { schedules in
            try? XMLSignature.sign(schedules.compactMap(SignedElement.init), with: .p521(pki.secc.privateKey), certificateChain: signerChain)
        }
        pair.driver = { loops, inputs in if loops >= 2 { inputs.chargingComplete = true } }
        return pair
    }

    static func scheduleExchangeRes(_ out: SessionPair.Outcome) -> ScheduleExchangeResType? {
        out.responses.lazy.compactMap { if case .common(.scheduleExchangeRes(let m)) = $0 { return m }; return nil }.first
    }

    @Test(arguments: [(ControlMode.scheduled, EnergyService.Pricing.priceLevels), (.dynamic, .absolute)])
    func theEVReceivesSignedSchedulesAndTheyCheckOut(mode: ControlMode, pricing: EnergyService.Pricing) async throws {
        var pair = Self.pair(mode: mode, pricing: pricing)
        let out = try pair.run()
        #expect(out.evcc?.reason == .terminated)
        let response = try #require(Self.scheduleExchangeRes(out))
        let signature = try #require(response.header.signature)
        #expect(signature.keyInfo != nil)
        let (schedules, checked) = try #require(pair.priceScheduleChecks.first)
        #expect(schedules.count == 1 && checked == signature)
        #expect(signature.signedInfo.reference.map(\.uri) == ["#PriceSchedule1"])
        #expect(try await Self.check.check(schedules, signature: signature).get() == "DE*SWI*E1234567")
    }

    @Test func tamperedForgedAndUntrustedSchedulesAreRefused() async throws {
        var pair = Self.pair(mode: .scheduled)
        _ = try pair.run()
        let (schedules, signature) = try #require(pair.priceScheduleChecks.first)
        // A price level changed after signing.
        guard case .priceLevelSchedule(var levels) = try #require(schedules.first) else { Issue.record("not a price level schedule"); return }
        levels.numberOfPriceLevels += 1
        guard case .failure(let tampered) = await Self.check.check([.priceLevelSchedule(levels)], signature: signature) else {
            Issue.record("a tampered schedule passed"); return
        }
        #expect(tampered.responseCode == .failed_SignatureError)
        // Signed by a key that is not the certificate's in KeyInfo.
        let forged = try XMLSignature.sign(schedules.compactMap(SignedElement.init), with: .p521(.init()), certificateChain: Self.signerChain)
        guard case .failure(let wrongKey) = await Self.check.check(schedules, signature: forged) else { Issue.record("a forged signature passed"); return }
        #expect(wrongKey.responseCode == .failed_SignatureError)
        // Signed properly by a CPO of another PKI: its chain does not reach the EV's roots.
        let other = try TestPKI()
        let foreign = try XMLSignature.sign(schedules.compactMap(SignedElement.init), with: .p521(other.secc.privateKey),
                                            certificateChain: try other.seccChain.map { try $0.derBytes })
        guard case .failure(let untrusted) = await Self.check.check(schedules, signature: foreign) else { Issue.record("an untrusted signer passed"); return }
        #expect(untrusted.responseCode == .warning_CertificateValidationError)
        // A signed schedule with an unsigned one beside it: not taken as signed.
        guard case .priceLevelSchedule(var unsigned) = try #require(schedules.first) else {
            Issue.record("not a price level schedule"); return
        }
        unsigned.id = nil
        guard case .failure = await Self.check.check(schedules + [.priceLevelSchedule(unsigned)], signature: signature) else {
            Issue.record("an unsigned schedule beside a signed one passed"); return
        }
        // No Signature at all.
        guard case .failure = await Self.check.check(schedules, signature: nil) else { Issue.record("an unsigned schedule passed"); return }
    }

    /// Without a signer the schedules carry no Id and the EV has nothing to check.
    @Test func unsignedSchedulesAreNotChecked() throws {
        var pair = Self.pair(mode: .scheduled, signs: false)
        let out = try pair.run()
        #expect(out.evcc?.reason == .terminated)
        #expect(Self.scheduleExchangeRes(out)?.header.signature == nil)
        #expect(pair.priceScheduleChecks.isEmpty)
    }
}
