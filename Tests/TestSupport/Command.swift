import Foundation

/// A command the tests run to its end (`v2g`, `openssl`, `tshark`, `chromium`): its exit status and
/// what it printed. The wait holds no thread of Swift's cooperative pool (see `OffPool`), and the
/// output goes to files, so a command that writes much to one stream while we read the other
/// cannot stall on a full pipe.
public struct Command: Sendable {
    public let status: Int32
    public let out: String
    public let err: String

    /// Runs `executable` with `arguments`, writes `stdin` to it (then closes it), and waits for it.
    public static func run(_ executable: URL, _ arguments: [String], stdin: String? = nil,
                           environment: [String: String] = [:]) async throws -> Command {
        let scratch = try ScratchDirectory("command")
        defer { scratch.remove() }
        let outFile = scratch.url.appendingPathComponent("out"), errFile = scratch.url.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: outFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errFile.path, contents: nil)
        let out = try FileHandle(forWritingTo: outFile), err = try FileHandle(forWritingTo: errFile)
        defer { try? out.close(); try? err.close() }

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        process.standardInput = input
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
                return
            }
            if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
            try? input.fileHandleForWriting.close()
        }
        return Command(status: status,
                       out: (try? String(contentsOf: outFile, encoding: .utf8)) ?? "",
                       err: (try? String(contentsOf: errFile, encoding: .utf8)) ?? "")
    }

    public static func run(_ executable: String, _ arguments: [String], stdin: String? = nil,
                           environment: [String: String] = [:]) async throws -> Command {
        try await run(URL(fileURLWithPath: executable), arguments, stdin: stdin, environment: environment)
    }

    /// Standard output and standard error together, for messages that may go to either.
    public var output: String { out + err }
}
