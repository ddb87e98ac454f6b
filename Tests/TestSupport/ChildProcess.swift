import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A program the tests start and always stop: its output goes to a file (a pipe would block a
/// chatty peer once 64 KiB are unread), it runs for at most `limit`, and it is stopped by its PID
/// (SIGTERM, then SIGKILL) when the test is done with it. The waits are async and poll with
/// `Task.sleep`, so a test waiting for a peer does not hold one of the few cooperative threads.
public final class ChildProcess: @unchecked Sendable {
    public let process = Process()
    public let logFile: URL
    private let limit: TimeInterval
    private let started = Date()
    /// Standard input held open (`holdingInputOpen`), else none.
    private let input: Pipe?

    public init(_ executable: String, _ arguments: [String], directory: URL? = nil,
                environment: [String: String] = [:], log: URL, limit: TimeInterval, holdingInputOpen: Bool = false) throws {
        self.logFile = log
        self.limit = limit
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = handle
        process.standardError = handle
        // Some programs (openssl s_server) end when their standard input does.
        input = holdingInputOpen ? Pipe() : nil
        process.standardInput = input ?? FileHandle.nullDevice
        try process.run()
    }

    public var pid: Int32 { process.processIdentifier }

    /// Ends the program's standard input (held open with `holdingInputOpen`): `openssl s_client`
    /// ends its session then.
    public func closeInput() { try? input?.fileHandleForWriting.close() }

    /// Waits until the program exits or its time limit passes (then stops it); its exit status.
    @discardableResult
    public func wait() async -> Int32 {
        while process.isRunning && Date().timeIntervalSince(started) < limit { try? await Task.sleep(for: .milliseconds(20)) }
        stop()
        return process.terminationStatus
    }

    /// The same, blocking the calling thread: for short commands (`ip`) outside async code.
    @discardableResult
    public func waitBlocking() -> Int32 {
        while process.isRunning && Date().timeIntervalSince(started) < limit { Thread.sleep(forTimeInterval: 0.01) }
        stop()
        return process.terminationStatus
    }

    /// Waits until the log contains `text` (true) or the program ends or `timeout` passes (false).
    public func waitForOutput(_ text: String, timeout: TimeInterval) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if output.contains(text) { return true }
            if !process.isRunning { return output.contains(text) }
            try? await Task.sleep(for: .milliseconds(50))
        }
        // A last look: on a loaded machine the sleep can end long after the deadline, with the
        // text there all along.
        return output.contains(text)
    }

    /// SIGTERM, then SIGKILL after a second; idempotent.
    public func stop() {
        if process.isRunning {
            kill(pid, SIGTERM)
            let deadline = Date().addingTimeInterval(1)
            while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
            if process.isRunning { kill(pid, SIGKILL) }
            process.waitUntilExit()
        }
    }

    public var output: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    deinit { stop() }
}
