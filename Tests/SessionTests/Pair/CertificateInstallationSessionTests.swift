import Crypto
import Foundation
import ISO20Common
import Testing
import TestSupport
import V2GPKI
import V2GSession
import XMLDSig

/// CertificateInstallation between our engines: announced with PnC over TLS, the EV without a
/// contract signs its provisioning chain, the SECC's answer waits for the backend, the EV's key
/// store takes the contract in, and the EV authorizes with it; refusals lead to EIM.
@Suite(.offPool) struct CertificateInstallationSessionTests {
    static var pki: TestPKI { PlugAndChargeTests.pki }
    static let provisioning = EVCCProvisioning(
        certificateChain: try! pki.oemProvisioningChain.map { try $0.derBytes },  // fixture
        rootCertificateIDs: [X509IssuerSerialType(certificate: pki.moRoot.certificate)], maximumContractCertificateChains: 1)

    static func pair(installation: Bool = true, provisioning: EVCCProvisioning? = provisioning, contract: EVCCContract? = nil) -> SessionPair {
        var configuration = SECCConfiguration(evseID: "DE*SWI*E1234567", authorizationServices: [.pnC, .eim])
        configuration.certificateInstallationService = installation
        let secc = SECCSession(configuration: configuration, tls: true)
        var pair = SessionPair(secc: secc, evcc: EVCCConfiguration(evccID: "WMIV1234567890ABCDEX", contract: contract, provisioning: provisioning), tls: true)
        // The crypto is ContractAuthorizationCheckTests' and CertificateInstallationTests': here
        // every signature is made (the requests carry one) and the checks pass.
        pair.sign = { request in try XMLSignature.sign([SignedElement(request.fragment)!], with: .p521(pki.contract.privateKey)) }
        pair.checkContract = { ContractAuthorizationResult($0.authorization.genChallenge == $0.genChallenge ? .ok : .warning_ChallengeInvalid) }
        pair.provideCertificate = { request in
            guard let provisioned = try? SimulatedCPS(pki: pki).provision(
                for: ProvisioningCheck.Vehicle(pcid: "WMIV1234567890ABCDEX", provisioningCertificateDER: request.oemProvisioningCertificateChain.certificate,
                                               algorithm: .ecdsaP521SHA512), request: request) else {
                return .refused(.warning_NoCertificateAvailable, "the CPS refused")
            }
            return .provided(CertificateInstallationData(cpsCertificateChain: provisioned.cpsCertificateChain, signedInstallationData: provisioned.signedInstallationData,
                                                         signature: provisioned.signature, remainingContractCertificateChains: 0))
        }
        pair.installContract = { response in
            let chain = response.signedInstallationData.contractCertificateChain
            return EVCCContract(certificateChain: [chain.certificate] + chain.subCertificates.certificate, emaid: "DESWIC123456789")
        }
        pair.driver = { loops, inputs in if loops >= 3 { inputs.chargingComplete = true } }
        return pair
    }

    static func requests(_ out: SessionPair.Outcome) -> [MessageKind] {
        out.requests.filter { [.authorizationSetup, .authorization, .common(.certificateInstallationReq)].contains($0) }
    }

    @Test func aVehicleWithoutAContractInstallsOneAndAuthorizesWithIt() throws {
        var pair = Self.pair()
        let out = try pair.run()
        #expect(out.evcc?.reason == .terminated && out.secc?.reason == .terminated)
        #expect(Self.requests(out) == [.authorizationSetup, .common(.certificateInstallationReq), .authorization, .authorization])
        guard case .common(.certificateInstallationReq(let request))? = out.sent.first(where: { $0.kind == .common(.certificateInstallationReq) }),
              case .common(.certificateInstallationRes(let response))? = out.responses.first(where: { $0.kind == .common(.certificateInstallationRes) }),
              case .common(.authorizationReq(let authorization))? = out.sent.first(where: { $0.kind == .authorization }),
              case .pnC_AReqAuthorizationMode(let pnc) = authorization.aReqAuthorizationMode else {
            Issue.record("the exchange is incomplete"); return
        }
        #expect(request.header.signature != nil)
        #expect(request.oemProvisioningCertificateChain.certificate == Self.provisioning.certificateChain[0])
        #expect(request.listOfRootCertificateIDs.rootCertificateID == Self.provisioning.rootCertificateIDs)
        #expect(response.responseCode == .ok && response.header.signature != nil)
        // The EV presents the contract it just installed.
        #expect(pnc.contractCertificateChain.certificate == response.signedInstallationData.contractCertificateChain.certificate)
        #expect(pair.evcc.installedContract?.emaid == "DESWIC123456789")
    }

    /// The backend has nothing (WARNING_NoCertificateAvailable) or the key store cannot open it:
    /// the EV authorizes with EIM; the session goes on.
    @Test func aFailedInstallationFallsBackToEIM() throws {
        var refused = Self.pair()
        refused.provideCertificate = { _ in .refused(.warning_NoCertificateAvailable, "no contract for this PCID") }
        let out = try refused.run()
        #expect(out.evcc?.reason == .terminated)
        let answer = out.responses.compactMap { if case .common(.certificateInstallationRes(let m)) = $0 { return m.responseCode }; return nil }
        #expect(answer == [.warning_NoCertificateAvailable])
        let services = out.sent.compactMap { if case .common(.authorizationReq(let m)) = $0 { return m.selectedAuthorizationService }; return nil }
        #expect(!services.isEmpty && Set(services) == [.eim])

        var unopened = Self.pair()
        unopened.installContract = { _ in nil }
        let second = try unopened.run()
        #expect(second.evcc?.reason == .terminated)
        #expect(unopened.evcc.installedContract == nil)
        let later = second.sent.compactMap { if case .common(.authorizationReq(let m)) = $0 { return m.selectedAuthorizationService }; return nil }
        #expect(Set(later) == [.eim])
    }

    /// Not announced: the EV does not ask; and a request nobody offered is FAILED_SequenceError.
    @Test func withoutTheServiceTheEVDoesNotAskAndTheSECCRefuses() throws {
        var pair = Self.pair(installation: false)
        let out = try pair.run()
        #expect(!out.requests.contains(.common(.certificateInstallationReq)))
        #expect(out.evcc?.reason == .terminated)

        var secc = SECCSession(configuration: SECCConfiguration(evseID: "DE*SWI*E1234567", authorizationServices: [.pnC, .eim]), tls: true,
                               makeSessionID: { Fixtures.id })
        _ = secc.receive(.supportedAppProtocol(Fixtures.sap), evse: Fixtures.evse)
        _ = secc.receive(.common(.sessionSetupReq(SessionSetupReqType(header: Fixtures.header(SessionIDGenerator.zero), evccid: Fixtures.evccID))), evse: Fixtures.evse)
        _ = secc.receive(.common(.authorizationSetupReq(AuthorizationSetupReqType(header: Fixtures.header()))), evse: Fixtures.evse)
        let element = SignedCertificateChainType(id: "OEM", certificate: Self.provisioning.certificateChain[0])
        let request = CertificateInstallationReqType(header: Fixtures.header(), oemProvisioningCertificateChain: element,
                                                     listOfRootCertificateIDs: ListOfRootCertificateIDsType(rootCertificateID: []),
                                                     maximumContractCertificateChains: 1)
        let actions = secc.receive(.common(.certificateInstallationReq(request)), evse: Fixtures.evse)
        #expect(Fixtures.responseCode(actions.sentResponse) == .failed_SequenceError)
        #expect(actions.ended?.reason == .failed(.failed_SequenceError))
    }

    /// The EV asks for two chains and the SECC has more: the exchange repeats once.
    @Test func remainingChainsAreFetched() throws {
        var provisioning = Self.provisioning
        provisioning.maximumContractCertificateChains = 2
        var pair = Self.pair(provisioning: provisioning)
        let provide = pair.provideCertificate
        pair.provideCertificate = { request in
            guard case .provided(var data) = provide(request) else { return provide(request) }
            data.remainingContractCertificateChains = 1
            return .provided(data)
        }
        let out = try pair.run()
        #expect(Self.requests(out) == [.authorizationSetup, .common(.certificateInstallationReq), .common(.certificateInstallationReq), .authorization, .authorization])
        #expect(out.evcc?.reason == .terminated)
    }

    /// With a contract already, the EV installs only when its policy says always.
    @Test func aVehicleWithAContractInstallsOnlyWhenToldTo() throws {
        var keeps = Self.pair(contract: PlugAndChargeTests.contract)
        let out = try keeps.run()
        #expect(!out.requests.contains(.common(.certificateInstallationReq)))
        var configuration = EVCCConfiguration(evccID: "WMIV1234567890ABCDEX", contract: PlugAndChargeTests.contract, provisioning: Self.provisioning)
        configuration.policy.contractInstallation = .always
        var renews = Self.pair(contract: PlugAndChargeTests.contract)
        renews.evcc = EVCCSession(configuration: configuration, tls: true)
        let renewed = try renews.run()
        #expect(renewed.requests.contains(.common(.certificateInstallationReq)))
        #expect(renewed.evcc?.reason == .terminated)
    }
}
