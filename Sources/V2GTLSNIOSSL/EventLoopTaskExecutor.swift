import NIOCore

/// Runs a task's jobs on a NIO event loop. The TLS peer-chain validation (swift-certificates'
/// verifier is async) runs this way on the loop of the connection being handshaken, not on the
/// process-wide cooperative pool: a busy application, or a test run on two cores full of CPU-bound
/// tests, cannot then stall a handshake past V2G_EVCC_CommunicationSetup_Timeout.
@available(macOS 15.0, iOS 18.0, tvOS 18.0, watchOS 11.0, *)
final class EventLoopTaskExecutor: TaskExecutor, @unchecked Sendable {
    let loop: any EventLoop

    init(_ loop: any EventLoop) { self.loop = loop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
