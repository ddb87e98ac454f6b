import EXI
import ArgumentParser
import Logging
import NIOCore
import V2GRuntime
import V2GSession
import V2GSimulation

/// The rest of a session's life, for `simulate`, `secc` and `evcc`: standby, value-added services,
/// side streams. Each command uses the options of its role.
struct SessionLifeOptions: ParsableArguments {
    @Option(help: "EV: ask for standby at this SOC, for SECONDS of the run (clock time, as --notify): SOC:SECONDS (PowerDelivery(Standby); the loop keeps the session alive at zero power, then the EV wakes with PowerDelivery(Start)).")
    var standbyAtSOC: StandbyOption?
    @Option(help: "Charger: end each standby with the ExitStandby notification after this many seconds of the run in it.")
    var exitStandbyAfter: Double?
    @Flag(help: "Charger: do not allow standby (WARNING_StandbyNotAllowed; the session goes on).")
    var noStandby = false
    @Option(help: "Value-added services, comma-separated: internet (HTTP and HTTPS), parking (check-in), parking-checkout. The charger offers them; the EV selects them.")
    var vas: ValueAddedServicesOption?
    @Flag(help: "EV: answer the charger's Pause notification with standby (and wait for ExitStandby) instead of pausing the session.")
    var standbyOnPause = false
    @Flag(help: "EV: use the side streams (0x8101 schedule renegotiation and 0x8102 metering confirmation beside the loop, 0x8104 parking status).")
    var sideStreams = false

    /// What the charger offers.
    var offered: [ValueAddedService] { vas?.services ?? [] }

    func charger(_ configuration: inout SECCConfiguration) {
        configuration.standbyAllowed = !noStandby
        configuration.valueAddedServices = offered
    }

    func vehicle(_ configuration: inout EVCCConfiguration) {
        configuration.valueAddedServices = offered.map(\.serviceID)
        configuration.policy.sideStreams = sideStreams
        configuration.policy.standbyInsteadOfPause = standbyOnPause
    }

    var standbyPlan: SimulatedEV.StandbyPlan? {
        standbyAtSOC.map { SimulatedEV.StandbyPlan(atSOC: $0.soc, duration: .milliseconds(Int($0.seconds * 1000))) }
    }

    var exitStandby: Duration? { exitStandbyAfter.map { .milliseconds(Int(min(max($0, 0), StandbyOption.longest) * 1000)) } }

    mutating func validate() throws {
        if let after = exitStandbyAfter, !(0...StandbyOption.longest).contains(after) {
            throw ValidationError("--exit-standby-after takes 0 to \(Int(StandbyOption.longest)) seconds")
        }
    }
}

struct StandbyOption: ExpressibleByArgument {
    let soc: Double
    let seconds: Double
    /// A week of the run: beyond it a standby is a misconfiguration (and would overflow Duration's milliseconds).
    static let longest: Double = 7 * 86_400
    init?(argument: String) {
        let parts = argument.split(separator: ":")
        guard parts.count == 2, let soc = Double(parts[0]), let seconds = Double(parts[1]), (0...100).contains(soc),
              seconds > 0, seconds <= Self.longest else { return nil }
        self.soc = soc; self.seconds = seconds
    }
}

struct ValueAddedServicesOption: ExpressibleByArgument {
    let services: [ValueAddedService]
    init?(argument: String) {
        var services: [ValueAddedService] = []
        for name in argument.split(separator: ",") {
            switch name {
            case "internet": services.append(.internet([.http, .https]))
            case "parking": services.append(.parkingStatus([.vehicleCheckIn]))
            case "parking-checkout": services.append(.parkingStatus([.vehicleCheckOut]))
            default: return nil
            }
        }
        guard !services.isEmpty, Set(services.map(\.serviceID)).count == services.count else { return nil }
        self.services = services
    }
}

/// The simulator's value-added services: what a charger would do, logged (a real one opens a
/// route for the car's address to the Internet on the agreed port, records the parked vehicle).
struct LoggedValueAddedServices: ValueAddedServiceProvider {
    let logger: Logger

    func provide(_ services: [SelectedValueAddedService], sessionID: ShortBinary, peer: SocketAddress?) {
        for service in services {
            if let access = service.internetAccess {
                logger.info("VAS: a route to the Internet for \(peer.map { "\($0)" } ?? "the EV") on \(access.protocolName) port \(access.port) (simulated)")
            } else {
                logger.info("VAS: \(service) for \(peer.map { "\($0)" } ?? "the EV") (simulated)")
            }
        }
    }

    func withdraw(sessionID: ShortBinary) {
        logger.info("VAS: withdrawn at the end of the session")
    }
}
