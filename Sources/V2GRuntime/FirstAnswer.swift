import NIOConcurrencyHelpers

/// The result of `work`, or nil when `timeout` passes first. The caller does not wait for `work`
/// beyond the timeout (it is cancelled, but a backend that ignores cancellation cannot hold the
/// session: a task group would wait for it).
func firstAnswer<T: Sendable>(within timeout: Duration, _ work: @escaping @Sendable () async -> T) async -> T? {
    await withCheckedContinuation { (continuation: CheckedContinuation<T?, Never>) in
        let answered = NIOLockedValueBox(false)
        let resume: @Sendable (T?) -> Void = { value in
            if answered.withLockedValue({ done in defer { done = true }; return !done }) { continuation.resume(returning: value) }
        }
        let task = Task { resume(await work()) }
        Task {
            try? await Task.sleep(for: timeout)
            task.cancel()
            resume(nil)
        }
    }
}
