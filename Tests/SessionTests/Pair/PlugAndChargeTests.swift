import EXI
import Foundation
import ISO20Common
import Testing
import TestSupport
import V2GPKI
import V2GSession
import XMLDSig

/// Plug & Charge authorization between our engines: the SECC offers it with a fresh challenge over
/// TLS only, the EVCC signs with its contract key (a real XML signature), the SECC asks for the
/// check and answers Ongoing until the result is in, then with its response code; WARNING and
/// FAILED answers take the session where the standard says.
@Suite(.offPool) struct PlugAndChargeTests {
    static let pki = try! TestPKI()  // fixture: generation with the defaults cannot fail
    static let contract = EVCCContract(certificateChain: try! pki.contractChain.map { try $0.derBytes }, emaid: "DESWIC123456789")  // fixture

    static func seccSession(tls: Bool = true, services: [AuthorizationType] = [.pnC, .eim], providers: [String]? = nil,
                            challenges: @escaping @Sendable () -> ShortBinary = GenChallengeGenerator.random) -> SECCSession {
        var configuration = SECCConfiguration(evseID: "DE*SWI*E1234567", authorizationServices: services)
        configuration.supportedProviders = providers
        return SECCSession(configuration: configuration, tls: tls, makeSessionID: { Fixtures.id }, makeGenChallenge: challenges)
    }

    static func pair(tls: Bool = true, services: [AuthorizationType] = [.pnC, .eim], providers: [String]? = nil,
                     eimAfterRefusal: Bool = true, check: @escaping (ContractCheckRequest) -> ContractAuthorizationResult) -> SessionPair {
        var evcc = EVCCConfiguration(evccID: "WMIV1234567890ABCDEX", contract: contract)
        evcc.policy.eimAfterRefusedContract = eimAfterRefusal
        var pair = SessionPair(secc: seccSession(tls: tls, services: services, providers: providers), evcc: evcc, tls: tls)
        pair.sign = { request in try XMLSignature.sign([SignedElement(request.fragment)!], with: .p521(pki.contract.privateKey)) }
        pair.checkContract = check
        pair.driver = { loops, inputs in if loops >= 4 { inputs.chargingComplete = true } }
        return pair
    }

    /// What a charger checks that the test can check synchronously: the signature with the
    /// contract key and the echoed challenge (the whole check is ContractAuthorizationCheckTests').
    static func verify(_ request: ContractCheckRequest) -> ContractAuthorizationResult {
        guard let signature = request.signature, let element = SignedElement(.pnC_AReqAuthorizationMode(request.authorization)),
              case .success = XMLSignature.verify(signature, covering: [element], with: .p521(pki.contract.privateKey.publicKey)) else {
            return ContractAuthorizationResult(.failed_SignatureError)
        }
        guard request.authorization.genChallenge == request.genChallenge else { return ContractAuthorizationResult(.warning_ChallengeInvalid) }
        return ContractAuthorizationResult(.ok)
    }

    static func authorizationAnswers(_ out: SessionPair.Outcome) -> [(ResponseCodeType, ProcessingType)] {
        out.responses.compactMap { if case .common(.authorizationRes(let m)) = $0 { return (m.responseCode, m.evseProcessing) }; return nil }
    }

    @Test func aWholeSessionAuthorizesWithTheContract() throws {
        var pair = Self.pair(check: Self.verify)
        let out = try pair.run()
        #expect(out.evcc?.reason == .terminated && out.secc?.reason == .terminated)
        // The offer: PnC first, a 16-byte challenge, and the request echoes it, signed.
        guard case .common(.authorizationSetupRes(let setup))? = out.responses.first(where: { $0.kind == .common(.authorizationSetupRes) }),
              case .pnC_ASResAuthorizationMode(let offer) = setup.asResAuthorizationMode else {
            Issue.record("AuthorizationSetupRes did not offer PnC"); return
        }
        #expect(setup.authorizationServices == [.pnC, .eim])
        #expect(offer.genChallenge.count == 16)
        guard case .common(.authorizationReq(let request))? = out.sent.first(where: { $0.kind == .authorization }),
              case .pnC_AReqAuthorizationMode(let pnc) = request.aReqAuthorizationMode else {
            Issue.record("the EVCC did not use PnC"); return
        }
        #expect(request.selectedAuthorizationService == .pnC)
        #expect(pnc.genChallenge == offer.genChallenge)
        #expect(pnc.contractCertificateChain.certificate == Self.contract.certificateChain[0])
        #expect(request.header.signature?.signatureValue.content.count == 132)
        // Ongoing while the check runs, then OK; the repetition is the same request.
        let answers = Self.authorizationAnswers(out)
        #expect(answers.map(\.0) == [.ok, .ok] && answers.map(\.1) == [.ongoing, .finished])
        #expect(pair.contractChecks.count == 1)
        #expect(out.phases(.dcChargeLoop) == 1 && out.loops >= 4)
    }

    /// Over plain TCP (the non-conformant test mode) PnC is never offered, and never used.
    @Test func withoutTLSPnCIsNeitherOfferedNorUsed() throws {
        var pair = Self.pair(tls: false, check: Self.verify)
        let out = try pair.run()
        guard case .common(.authorizationSetupRes(let setup))? = out.responses.first(where: { $0.kind == .common(.authorizationSetupRes) }) else {
            Issue.record("no AuthorizationSetupRes"); return
        }
        #expect(setup.authorizationServices == [.eim])
        guard case .eim_ASResAuthorizationMode = setup.asResAuthorizationMode else { Issue.record("a challenge without PnC"); return }
        #expect(pair.contractChecks.isEmpty)
        #expect(out.evcc?.reason == .terminated)
    }

    /// A WARNING: the EV falls back to EIM when its policy says so; otherwise it stops.
    @Test func aRefusedContractFallsBackToEIMOrStops() throws {
        let refuse: (ContractCheckRequest) -> ContractAuthorizationResult = { _ in ContractAuthorizationResult(.warning_CertificateRevoked) }
        var fallback = Self.pair(check: refuse)
        let out = try fallback.run()
        #expect(Array(Self.authorizationAnswers(out).map(\.0).prefix(2)) == [.ok, .warning_CertificateRevoked])
        let services = out.sent.compactMap { if case .common(.authorizationReq(let m)) = $0 { return m.selectedAuthorizationService }; return nil }
        #expect(Array(services.prefix(3)) == [.pnC, .pnC, .eim] && Set(services.dropFirst(2)) == [.eim])
        #expect(out.evcc?.reason == .terminated && out.loops >= 4)

        var stop = Self.pair(eimAfterRefusal: false, check: refuse)
        let stopped = try stop.run()
        #expect(stopped.evcc?.reason == .notAuthorized(.warning_CertificateRevoked))
        #expect(stopped.secc?.reason == .terminated)
        #expect(stopped.loops == 0 && stopped.stop == .terminate)
    }

    /// FAILED_SignatureError ends the session on both sides: nothing is charged.
    @Test func aForgedSignatureEndsTheSession() throws {
        var pair = Self.pair(check: Self.verify)
        pair.sign = { request in
            guard case .authorization(let element) = request, let signed = SignedElement(.pnC_AReqAuthorizationMode(element)) else {
                throw Fixtures.TestFailure("unexpected signing request")
            }
            return try XMLSignature.sign([signed], with: .p521(TestPKI.issue(role: .contract, commonName: "X", by: Self.pki.moSubCA2).privateKey))
        }
        let out = try pair.run()
        #expect(out.secc?.reason == .failed(.failed_SignatureError))
        #expect(out.evcc?.reason == .failed(.failed_SignatureError))
        #expect(out.loops == 0)
    }

    /// The SECC offers providers; a contract of another provider is not used (EIM instead).
    @Test func aContractOfAnotherProviderIsNotUsed() throws {
        var pair = Self.pair(providers: ["NLABC"], check: Self.verify)
        let out = try pair.run()
        #expect(pair.contractChecks.isEmpty)
        let services = out.sent.compactMap { if case .common(.authorizationReq(let m)) = $0 { return m.selectedAuthorizationService }; return nil }
        #expect(!services.isEmpty && Set(services) == [.eim])  // EIM, repeated while the charger's authorization is Ongoing
        var matching = Self.pair(providers: ["NLABC", "DE-SWI"], check: Self.verify)
        _ = try matching.run()
        #expect(matching.contractChecks.count == 1)
    }

    /// Without a signature from the vehicle's key store the EV authorizes with EIM.
    @Test func aVehicleThatCannotSignUsesEIM() throws {
        var pair = Self.pair(check: Self.verify)
        pair.sign = nil
        let out = try pair.run()
        let services = out.sent.compactMap { if case .common(.authorizationReq(let m)) = $0 { return m.selectedAuthorizationService }; return nil }
        #expect(!services.isEmpty && Set(services) == [.eim])
        #expect(out.evcc?.reason == .terminated)
    }

    // MARK: the SECC alone

    static func pncRequest(_ challenge: ShortBinary, id: String = "a") -> AuthorizationReqType {
        let chain = Self.contract.certificateChain
        let pnc = PnC_AReqAuthorizationModeType(id: id, genChallenge: challenge, contractCertificateChain: ContractCertificateChainType(
            certificate: chain[0], subCertificates: SubCertificatesType(certificate: Array(chain.dropFirst()))))
        return AuthorizationReqType(header: Fixtures.header(), selectedAuthorizationService: .pnC, aReqAuthorizationMode: .pnC_AReqAuthorizationMode(pnc))
    }

    /// supportedAppProtocol, SessionSetup and AuthorizationSetup: the SECC waits for AuthorizationReq.
    static func throughAuthorizationSetup(_ s: inout SECCSession) throws -> ShortBinary {
        _ = s.receive(.supportedAppProtocol(Fixtures.sap), evse: EVSEInputs())
        _ = s.receive(.common(.sessionSetupReq(SessionSetupReqType(header: Fixtures.header(SessionIDGenerator.zero), evccid: Fixtures.evccID))), evse: EVSEInputs())
        let sid = try #require(s.sessionID)
        _ = s.receive(.common(.authorizationSetupReq(AuthorizationSetupReqType(header: Fixtures.header(sid)))), evse: EVSEInputs())
        return sid
    }

    /// Each AuthorizationSetupRes draws a new challenge; the one checked is the latest sent.
    @Test func everyAuthorizationSetupDrawsANewChallenge() throws {
        let counter = Counter()
        var s = Self.seccSession { ShortBinary(repeating: counter.next(), count: 16) }
        let sid = try Self.throughAuthorizationSetup(&s)
        #expect(s.genChallenge == ShortBinary(repeating: 1, count: 16))
        var request = Self.pncRequest(ShortBinary(repeating: 1, count: 16))
        request.header = Fixtures.header(sid)
        let first = s.receive(.common(.authorizationReq(request)), evse: EVSEInputs())
        let check = first.compactMap { if case .checkContract(let c) = $0 { return c }; return nil }.first
        #expect(check?.genChallenge == ShortBinary(repeating: 1, count: 16))
        #expect(Fixtures.responseCode(first.sentResponse) == .ok)
        // A different request while the first is checked: FAILED_SequenceError, the session ends.
        var changed = Self.pncRequest(ShortBinary(repeating: 1, count: 16), id: "b")
        changed.header = Fixtures.header(sid)
        let second = s.receive(.common(.authorizationReq(changed)), evse: EVSEInputs())
        #expect(Fixtures.responseCode(second.sentResponse) == .failed_SequenceError)
        #expect(second.ended?.reason == .failed(.failed_SequenceError))
    }

    /// A decision answers the request that was checked and no other: a changed request (another
    /// chain, another signature) before the answer is FAILED_SequenceError.
    @Test func aDecisionAnswersOnlyTheCheckedRequest() throws {
        for change in ["id", "signature"] {
            var s = Self.seccSession { ShortBinary(repeating: 5, count: 16) }
            let sid = try Self.throughAuthorizationSetup(&s)
            var request = Self.pncRequest(ShortBinary(repeating: 5, count: 16))
            request.header = Fixtures.header(sid)
            _ = s.receive(.common(.authorizationReq(request)), evse: EVSEInputs())
            _ = s.contractChecked(ContractAuthorizationResult(.ok))
            var changed = change == "id" ? Self.pncRequest(ShortBinary(repeating: 5, count: 16), id: "other") : request
            changed.header = Fixtures.header(sid)
            if change == "signature" {
                changed.header.signature = try XMLSignature.sign([SignedElement(.pnC_AReqAuthorizationMode(Self.pncRequest(ShortBinary(repeating: 6, count: 16), id: "x").aReqAuthorizationMode.pnc!))!],
                                                                 with: .p521(Self.pki.contract.privateKey))
            }
            let answer = s.receive(.common(.authorizationReq(changed)), evse: EVSEInputs())
            #expect(Fixtures.responseCode(answer.sentResponse) == .failed_SequenceError, "\(change)")
            #expect(s.authorizedContract == nil, "\(change)")
        }
    }

    /// A WARNING answered, the EV may present the request again (or another): it is checked anew;
    /// the result of a check no longer pending is dropped.
    @Test func afterAWarningTheEVMayTryAgain() throws {
        var s = Self.seccSession { ShortBinary(repeating: 5, count: 16) }
        let sid = try Self.throughAuthorizationSetup(&s)
        var request = Self.pncRequest(ShortBinary(repeating: 5, count: 16))
        request.header = Fixtures.header(sid)
        var checks = 0
        for expected in [ResponseCodeType.warning_CertificateExpired, .ok] {
            let started = s.receive(.common(.authorizationReq(request)), evse: EVSEInputs())
            checks += started.filter { if case .checkContract = $0 { return true }; return false }.count
            #expect(s.contractChecked(ContractAuthorizationResult(expected)).isEmpty)
            let answered = s.receive(.common(.authorizationReq(request)), evse: EVSEInputs())
            guard case .common(.authorizationRes(let res))? = answered.sentResponse else { Issue.record("no AuthorizationRes"); return }
            #expect(res.responseCode == expected && res.evseProcessing == .finished)
        }
        #expect(checks == 2)
        #expect(s.state == .waitingForServiceDiscovery)
        // (Authorized: the session has moved on; an AuthorizationReq now is out of sequence.)
        #expect(s.contractChecked(ContractAuthorizationResult(.warning_CertificateRevoked)).isEmpty)
        #expect(s.state == .waitingForServiceDiscovery)
    }

    final class Counter: @unchecked Sendable {
        private var value: UInt8 = 0
        func next() -> UInt8 { value += 1; return value }
    }
}

/// MeteringConfirmation: the charger asks in a ChargeLoopRes (with MeterInfo), the EV authorized
/// with its contract signs the reading it received, the SECC has the signature verified and hands
/// the signed reading on; a bad signature or another reading is FAILED_MeteringSignatureNotValid.
@Suite(.offPool) struct MeteringConfirmationTests {
    static func pair(asksAtLoop loop: Int = 2, pnc: Bool = true) -> SessionPair {
        var pair = PlugAndChargeTests.pair(services: pnc ? [.pnC, .eim] : [.eim], check: PlugAndChargeTests.verify)
        pair.charger = { request, loops, inputs in
            if request.kind?.isChargeLoop == true, loops == loop { inputs.notification = .meteringConfirmation }
        }
        // What the SECC's runtime does: the signature over SignedMeteringData with the contract key.
        pair.checkMetering = { check in
            guard let signature = check.signature, let element = SignedElement(.signedMeteringData(check.signedMeteringData)),
                  let key = try? XMLSignatureVerifyingKey(certificateDER: check.contractCertificate) else { return false }
            return XMLSignature.verify(signature, covering: [element], with: key) == .success(.ecdsaP521SHA512)
        }
        return pair
    }

    @Test func theEVConfirmsTheReadingWithItsContractKey() throws {
        var pair = Self.pair()
        let out = try pair.run()
        #expect(out.evcc?.reason == .terminated && out.secc?.reason == .terminated)
        let confirmations = out.sent.compactMap { if case .common(.meteringConfirmationReq(let m)) = $0 { return m }; return nil }
        #expect(confirmations.count == 1)
        let sent = out.responses.compactMap { response -> MeterInfoType? in
            if case .dc(.dc_ChargeLoopRes(let m)) = response, m.evseStatus?.evseNotification == .meteringConfirmation { return m.meterInfo }
            return nil
        }
        #expect(confirmations.first?.signedMeteringData.meterInfo == sent.first)
        #expect(confirmations.first?.signedMeteringData.sessionID == pair.secc.sessionID)
        #expect(pair.meteringConfirmations.map(\.meterInfo) == sent)
        // The loop went on after the confirmation.
        let index = try #require(out.requests.firstIndex(of: .common(.meteringConfirmationReq)))
        #expect(out.requests[index + 1] == .dcChargeLoop)
    }

    /// With side streams, the confirmation travels on 0x8102 beside the loop, which does not wait:
    /// the charger gets the same signed reading, answered on the same stream ([V2G20-1621]).
    @Test func theEVConfirmsOnTheMeteringSideStream() throws {
        var pair = Self.pair()
        var configuration = pair.evcc.configuration
        configuration.policy.sideStreams = true
        pair.evcc = EVCCSession(configuration: configuration, tls: true)
        let out = try pair.run()
        #expect(out.evcc?.reason == .terminated && out.secc?.reason == .terminated)
        #expect(!out.requests.contains(.common(.meteringConfirmationReq)), "nothing on the main stream")
        #expect(out.sideRequests.map { $0.0 } == [.meteringConfirmation])
        #expect(out.sideResponses.map { $0.1.responseCode } == [.ok])
        #expect(out.sideResponses.first?.1.kind == .common(.meteringConfirmationRes))
        let sent = out.responses.compactMap { response -> MeterInfoType? in
            if case .dc(.dc_ChargeLoopRes(let m)) = response, m.evseStatus?.evseNotification == .meteringConfirmation { return m.meterInfo }
            return nil
        }
        #expect(pair.meteringConfirmations.map(\.meterInfo) == sent)
        // The loop went on straight after the notification.
        let asked = try #require(out.responses.firstIndex { if case .dc(.dc_ChargeLoopRes(let m)) = $0 { return m.evseStatus?.evseNotification == .meteringConfirmation }; return false })
        #expect(out.requests[asked + 1] == .dcChargeLoop)
    }

    @Test func aBadSignatureIsFailedMeteringSignatureNotValid() throws {
        var pair = Self.pair()
        pair.checkMetering = { _ in false }
        let out = try pair.run()
        #expect(out.secc?.reason == .failed(.failed_MeteringSignatureNotValid))
        #expect(out.evcc?.reason == .failed(.failed_MeteringSignatureNotValid))
        #expect(pair.meteringConfirmations.isEmpty)
    }

    /// The EV received (and signed) another reading than the charger sent: not a confirmation.
    @Test func anotherReadingIsRefused() throws {
        var pair = Self.pair()
        pair.answer = { response in
            if case .dc(.dc_ChargeLoopRes(var m)) = response, m.meterInfo != nil {
                m.meterInfo?.chargedEnergyReadingWh += 1
                response = .dc(.dc_ChargeLoopRes(m))
            }
        }
        let out = try pair.run()
        #expect(out.secc?.reason == .failed(.failed_MeteringSignatureNotValid))
        #expect(pair.meteringConfirmations.isEmpty)
    }

    /// Authorized with EIM, the EV has nothing to sign with: the charger does not ask.
    @Test func anEIMSessionIsNotAskedToConfirm() throws {
        var pair = Self.pair(pnc: false)
        let out = try pair.run()
        #expect(out.evcc?.reason == .terminated)
        #expect(!out.requests.contains(.common(.meteringConfirmationReq)))
        let asked = out.responses.contains { if case .dc(.dc_ChargeLoopRes(let m)) = $0 { return m.evseStatus?.evseNotification == .meteringConfirmation }; return false }
        #expect(!asked)
    }
}

extension AuthorizationReqType.AReqAuthorizationMode {
    var pnc: PnC_AReqAuthorizationModeType? { if case .pnC_AReqAuthorizationMode(let p) = self { return p }; return nil }
}
