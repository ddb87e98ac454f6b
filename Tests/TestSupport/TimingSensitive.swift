/// Whole sessions keep the standard's timing (0.5 s per charge-loop message), and a debug build
/// on two cores beside a JVM starting up can miss it. Tests that run whole sessions, in process
/// or as peers, run one at a time through this section; everything else still runs in parallel.
public actor TimingSensitive {
    public static let section = TimingSensitive()
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    private func acquire() async {
        if !busy { busy = true; return }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func release() {
        if waiters.isEmpty { busy = false } else { waiters.removeFirst().resume() }
    }

    /// Runs `body` when no other timing-sensitive test runs.
    public static func run<T>(_ body: () async throws -> T) async rethrows -> T {
        await section.acquire()
        do {
            let result = try await body()
            await section.release()
            return result
        } catch {
            await section.release()
            throw error
        }
    }
}
