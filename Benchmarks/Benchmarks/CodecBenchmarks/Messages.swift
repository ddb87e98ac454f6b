import EXI
import ISO20AC
import ISO20Common
import ISO20DC

/// Realistic messages for the codec benchmarks: what a DC session sends, with typical values.
enum Messages {
    static let header = MessageHeaderType(sessionID: [0x43, 0x5F, 0xC6, 0x9B, 0x67, 0xAC, 0xF6, 0x07], timeStamp: 1_795_542_185)
    static func r(_ value: Int16, _ exponent: Int8 = 0) -> RationalNumberType { RationalNumberType(exponent: exponent, value: value) }

    static let sessionSetupReq = CommonMessagesDocument.sessionSetupReq(SessionSetupReqType(
        header: MessageHeaderType(sessionID: [0, 0, 0, 0, 0, 0, 0, 0], timeStamp: 1_795_542_184),
        evccid: "WMIV1234567890ABCDEX"))

    static let sessionStopReq = CommonMessagesDocument.sessionStopReq(SessionStopReqType(header: header, chargingSession: .terminate))

    static let serviceDiscoveryRes = CommonMessagesDocument.serviceDiscoveryRes(ServiceDiscoveryResType(
        header: header, responseCode: .ok, serviceRenegotiationSupported: true,
        energyTransferServiceList: ServiceListType(service: [ServiceType(serviceID: 2, freeService: false),
                                                             ServiceType(serviceID: 6, freeService: false)])))

    static let serviceDetailRes: CommonMessagesDocument = {
        func set(_ id: UInt16, controlMode: Int32, bpt: Bool) -> ParameterSetType {
            var p = [ParameterType(name: "Connector", choice: .intValue(2)),
                     ParameterType(name: "ControlMode", choice: .intValue(controlMode)),
                     ParameterType(name: "MobilityNeedsMode", choice: .intValue(controlMode == 2 ? 2 : 1)),
                     ParameterType(name: "Pricing", choice: .intValue(0))]
            if bpt {
                p += [ParameterType(name: "BPTChannel", choice: .intValue(1)), ParameterType(name: "GeneratorMode", choice: .intValue(1))]
            }
            return ParameterSetType(parameterSetID: id, parameter: p)
        }
        return .serviceDetailRes(ServiceDetailResType(
            header: header, responseCode: .ok, serviceID: 6,
            serviceParameterList: ServiceParameterListType(parameterSet: [set(1, controlMode: 1, bpt: true), set(2, controlMode: 2, bpt: true)])))
    }()

    /// Three schedule tuples of 24 hourly entries each.
    static let scheduleExchangeRes: CommonMessagesDocument = {
        func tuple(_ id: UInt32) -> ScheduleTupleType {
            let entries = (0..<24).map { h in PowerScheduleEntryType(duration: 3600, power: r(Int16(110 + h * 3 + Int(id)), 2)) }
            return ScheduleTupleType(scheduleTupleID: id, chargingSchedule: ChargingScheduleType(
                powerSchedule: PowerScheduleType(timeAnchor: 1_795_542_185, powerScheduleEntries: PowerScheduleEntryListType(powerScheduleEntry: entries))))
        }
        return .scheduleExchangeRes(ScheduleExchangeResType(
            header: header, responseCode: .ok, evseProcessing: .finished,
            seResControlMode: .scheduled_SEResControlMode(Scheduled_SEResControlModeType(scheduleTuple: [tuple(1), tuple(2), tuple(3)]))))
    }()

    static let dcChargeParameterDiscoveryReq = DCDocument.dc_ChargeParameterDiscoveryReq(DC_ChargeParameterDiscoveryReqType(
        header: header,
        dc_CPDReqEnergyTransferMode: .dc_CPDReqEnergyTransferMode(DC_CPDReqEnergyTransferModeType(
            evMaximumChargePower: r(150, 3), evMinimumChargePower: r(1, 3), evMaximumChargeCurrent: r(400),
            evMinimumChargeCurrent: r(1), evMaximumVoltage: r(900), evMinimumVoltage: r(150)))))

    static let dcChargeLoopReq = DCDocument.dc_ChargeLoopReq(DC_ChargeLoopReqType(
        header: header, displayParameters: DisplayParametersType(presentSOC: 42, chargingComplete: false),
        meterInfoRequested: false, evPresentVoltage: r(4023, -1),
        clReqControlMode: .dynamic_DC_CLReqControlMode(Dynamic_DC_CLReqControlModeType(
            departureTime: 7200, evTargetEnergyRequest: r(40, 3), evMaximumEnergyRequest: r(60, 3), evMinimumEnergyRequest: r(5, 3),
            evMaximumChargePower: r(150, 3), evMinimumChargePower: r(1, 3), evMaximumChargeCurrent: r(350),
            evMaximumVoltage: r(900), evMinimumVoltage: r(150)))))

    static let dcChargeLoopRes = DCDocument.dc_ChargeLoopRes(DC_ChargeLoopResType(
        header: header, responseCode: .ok, evseStatus: EVSEStatusType(notificationMaxDelay: 0, evseNotification: .exitStandby),
        evsePresentCurrent: r(2481, -1), evsePresentVoltage: r(4025, -1),
        evsePowerLimitAchieved: false, evseCurrentLimitAchieved: false, evseVoltageLimitAchieved: false,
        clResControlMode: .dynamic_DC_CLResControlMode(Dynamic_DC_CLResControlModeType(
            evseMaximumChargePower: r(150, 3), evseMinimumChargePower: r(1, 3), evseMaximumChargeCurrent: r(350), evseMaximumVoltage: r(920)))))

    static let acChargeLoopRes = ACDocument.ac_ChargeLoopRes(AC_ChargeLoopResType(
        header: header, responseCode: .ok,
        clResControlMode: .dynamic_AC_CLResControlMode(Dynamic_AC_CLResControlModeType(evseTargetActivePower: r(11, 3)))))

    /// A full contract-certificate delivery: CPS chain (leaf + 2 sub-CAs), contract chain
    /// (leaf + 2 sub-CAs) of P-521 certificates (about 800 bytes each), the ECDH key and the
    /// encrypted private key.
    static let certificateInstallationRes: CommonMessagesDocument = {
        var seed: UInt8 = 7
        func cert(_ n: Int) -> [UInt8] { (0..<n).map { _ in seed = seed &* 31 &+ 17; return seed } }
        return .certificateInstallationRes(CertificateInstallationResType(
            header: header, responseCode: .ok, evseProcessing: .finished,
            cpsCertificateChain: CertificateChainType(certificate: cert(812), subCertificates: SubCertificatesType(certificate: [cert(845), cert(851)])),
            signedInstallationData: SignedInstallationDataType(
                id: "ID1",
                contractCertificateChain: ContractCertificateChainType(certificate: cert(830), subCertificates: SubCertificatesType(certificate: [cert(845), cert(851)])),
                ecdhCurve: .secp521, dhPublicKey: cert(133), encryptedPrivateKey: .secp521_EncryptedPrivateKey(cert(94))),
            remainingContractCertificateChains: 0))
    }()

    /// (name, encode, decode) for every benchmarked message.
    static let all: [(String, any EXIRootCoder)] = [
        ("SessionSetupReq", sessionSetupReq),
        ("SessionStopReq", sessionStopReq),
        ("ServiceDiscoveryRes", serviceDiscoveryRes),
        ("ServiceDetailRes", serviceDetailRes),
        ("ScheduleExchangeRes", scheduleExchangeRes),
        ("DC_ChargeParameterDiscoveryReq", dcChargeParameterDiscoveryReq),
        ("DC_ChargeLoopReq", dcChargeLoopReq),
        ("DC_ChargeLoopRes", dcChargeLoopRes),
        ("AC_ChargeLoopRes", acChargeLoopRes),
        ("CertificateInstallationRes", certificateInstallationRes),
    ]
}
