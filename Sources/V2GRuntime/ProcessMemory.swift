import Foundation

/// A process's resident memory (Linux /proc), sampled: the first reading and the peak. `v2g load`
/// watches the SECC's process with it, LoadBenchmarks its own.
public final class ProcessMemory: @unchecked Sendable {
    /// nil: this process.
    public let pid: Int32?
    private let lock = NSLock()
    private var first: Int?
    private var peak = 0

    public init(pid: Int32? = nil) { self.pid = pid }

    /// VmRSS in KiB, or nil if the process is gone.
    public var residentKiB: Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid.map(String.init) ?? "self")/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return nil }
        return line.split(separator: " ").compactMap { Int($0) }.first
    }

    public func sample() {
        guard let kib = residentKiB else { return }
        lock.withLock {
            if first == nil { first = kib }
            peak = max(peak, kib)
        }
    }

    /// The first reading and the peak, in KiB (nil before a reading).
    public var readings: (first: Int, peak: Int)? { lock.withLock { first.map { ($0, peak) } } }

    /// KiB of the peak beyond the first reading per concurrent session.
    public func perSession(concurrent: Int) -> Double {
        guard let (first, peak) = readings, concurrent > 0 else { return 0 }
        return Double(peak - first) / Double(concurrent)
    }

    public func summary(concurrent: Int) -> String {
        guard let (first, peak) = readings else { return "SECC memory: process \(pid.map(String.init) ?? "self") not readable" }
        return "SECC memory (pid \(pid.map(String.init) ?? "self")): \(first / 1024) MiB at the start, peak \(peak / 1024) MiB: \(perSession(concurrent: concurrent).formatted(.number.precision(.fractionLength(1)))) KiB per concurrent session beyond the start"
    }
}
