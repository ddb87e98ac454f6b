import Foundation
import Testing

/// Swift Testing runs every test, synchronous or not, on Swift's cooperative pool, which has one
/// thread per core: two on the CI machine. A test that computes for seconds (fuzz loops, PKI
/// generation, code generation, every vector of a set) or blocks on a child process holds one of
/// them, and two such tests at once stop every other test's timers and continuations: a 200 ms
/// backend timeout once measured 54 s.
///
/// Suites marked `.offPool` run their tests on a lane of their own instead: as many threads as
/// the pool has, shared by all such tests, so at most that many of their jobs run at once (a test
/// that suspends lets another run) and the pool stays free for the tests that measure time. The
/// work stays in the test's own task (an executor preference), so `#expect` and `#require` are
/// recorded against the test as usual. A test that blocks a lane thread (a child process waited
/// for synchronously) holds it from the other heavy tests, not from the timing ones.
public struct OffPool: SuiteTrait, TestTrait, TestScoping {
    public var isRecursive: Bool { true }

    public func scopeProvider(for test: Test, testCase: Test.Case?) -> OffPool? {
        testCase == nil ? nil : self
    }

    public func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        try await withTaskExecutorPreference(HeavyLane.shared) { try await function() }
    }
}

extension Trait where Self == OffPool {
    /// Runs the tests on the heavy lane, off Swift's cooperative pool (see `OffPool`).
    public static var offPool: OffPool { OffPool() }
}

/// A task executor with a fixed number of threads of its own and one queue of jobs, first in,
/// first out.
final class HeavyLane: TaskExecutor, @unchecked Sendable {
    static let shared = HeavyLane(threads: max(2, ProcessInfo.processInfo.activeProcessorCount))

    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var next = 0

    private init(threads: Int) {
        for index in 0..<threads {
            let thread = Thread { [self] in work() }
            thread.name = "heavy-lane-\(index)"
            thread.start()
        }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func work() {
        let executor = asUnownedTaskExecutor()
        while true {
            condition.lock()
            while next == jobs.count { condition.wait() }
            let job = jobs[next]
            next += 1
            // Drop what ran now and then, so the array does not grow for ever.
            if next == jobs.count || next >= 1024 { jobs.removeFirst(next); next = 0 }
            condition.unlock()
            job.runSynchronously(on: executor)
        }
    }
}
