import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle
import V2GRuntime

/// `v2g evcc` and `v2g load` under swift-service-lifecycle, the way `v2g secc` runs: SIGTERM or
/// SIGINT asks every running session to end in order (`ChargingStop`: the EV reports its
/// charging complete, and the loop ends with PowerDelivery(Stop) and SessionStop); what has not
/// ended after `grace` is cancelled, which closes its connection.
enum VehicleLifecycle {
    /// Runs `body` with the stop it must hand to its sessions; its result, and whether a signal
    /// asked for the stop.
    static func run<Result: Sendable>(grace: Duration, logger: Logger,
                                      _ body: @escaping @Sendable (ChargingStop) async throws -> Result) async throws -> (result: Result, stopped: Bool) {
        let stop = ChargingStop()
        let outcome = NIOLockedValueBox<Result?>(nil)
        var configuration = ServiceGroupConfiguration(
            services: [.init(service: VehicleService(stop: stop, body: body, outcome: outcome), successTerminationBehavior: .gracefullyShutdownGroup)],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        configuration.maximumGracefulShutdownDuration = grace
        try await ServiceGroup(configuration: configuration).run()
        guard let result = outcome.withLockedValue({ $0 }) else { throw CancellationError() }
        return (result, stop.isRequested)
    }
}

private struct VehicleService<Result: Sendable>: Service {
    let stop: ChargingStop
    let body: @Sendable (ChargingStop) async throws -> Result
    let outcome: NIOLockedValueBox<Result?>

    func run() async throws {
        let (stop, body) = (stop, body)
        let result = try await withGracefulShutdownHandler {
            try await body(stop)
        } onGracefulShutdown: {
            stop.request()
        }
        outcome.withLockedValue { $0 = result }
    }
}
