import ArgumentParser
import Foundation
import V2GCapture
import V2GTrace

/// `v2g trace FILE`: what happened in a captured session.
struct TraceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Decode a capture (pcap or pcapng) of ISO 15118-20 sessions: a timeline of every V2G frame, or JSON per frame.")

    @Argument(help: "The capture file (pcap or pcapng).") var file: String
    @Flag(help: "One JSON object per frame (time, from, payload type, hex, name, the decoded message in the vectors' shape), then a summary object.")
    var json = false
    @Option(help: "An NSS key log (SSLKEYLOGFILE) with the TLS 1.3 secrets; a pcapng's Decryption Secrets Blocks are read too.")
    var keylog: String?
    @Option(help: "Also write the session as one self-contained HTML page: facts, findings, plots, the message sequence.")
    var html: String?

    func run() throws {
        guard let handle = FileHandle(forReadingAtPath: file) else { throw ValidationError("cannot open \(file)") }
        defer { try? handle.close() }
        var parser = CaptureFileParser()
        var keys = NSSKeyLog()
        if let keylog {
            guard let text = try? String(contentsOfFile: keylog, encoding: .utf8) else { throw ValidationError("cannot read the key log \(keylog)") }
            keys.add(text)
            if keys.sessions.isEmpty { throw TraceFailure("\(keylog): no TLS secrets in it (not an NSS key log?)") }
        }
        var trace = Trace(keyLog: keys, keepEntries: html != nil)
        var start: Int64?
        var frames = 0, undecoded = 0
        func show(_ entries: [TraceEntry]) {
            for e in entries {
                if start == nil { start = e.time }
                frames += 1
                if e.error != nil { undecoded += 1 }
                print(json ? TraceOutput.json(e, start: start ?? 0) : TraceOutput.line(e, start: start ?? 0))
            }
        }
        do {
            // 1 MiB at a time: a capture of any size streams in constant memory.
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                for record in try parser.feed(chunk) { show(trace.add(record)) }
            }
            try parser.finish()
        } catch let error as CaptureError {
            show(trace.finish())
            report(trace, frames: frames, undecoded: undecoded)
            throw TraceFailure("\(file): \(error)")
        }
        show(trace.finish())
        report(trace, frames: frames, undecoded: undecoded)
        if let html {
            try Data(TraceReport.html(trace, title: "V2G trace of \((file as NSString).lastPathComponent)").utf8).write(to: URL(fileURLWithPath: html))
            var err = StandardError()
            print("report: \(html)", to: &err)
        }
        if frames == 0 { throw TraceFailure("\(file): no V2G frames in \(trace.packets) packets (not a V2G capture?)") }
        if undecoded > 0 || !trace.notes.isEmpty { throw ExitCode(1) }
    }

    /// The TLS sessions, notes and counts: a summary object after the frames with `--json`,
    /// else lines after the timeline; the notes and the count also on standard error.
    func report(_ trace: Trace, frames: Int, undecoded: Int) {
        var err = StandardError()
        let count = "\(frames) V2G frames in \(trace.packets) packets\(undecoded > 0 ? ", \(undecoded) not decoded" : "")"
        if json {
            print(TraceOutput.summary(trace, frames: frames, undecoded: undecoded))
        } else {
            for session in trace.tlsSessions {
                print(session.description)
                for line in session.certificateLines { print("  \(line)") }
            }
            let violations = trace.findings.filter { $0.severity == .violation }.count
            print(trace.findings.isEmpty ? "checks against ISO 15118-20: nothing found"
                  : "checks against ISO 15118-20: \(violations) violation\(violations == 1 ? "" : "s"), \(trace.findings.count - violations) warning\(trace.findings.count - violations == 1 ? "" : "s")")
            for finding in trace.findings { print("  \(finding)") }
            if trace.suppressedFindings > 0 { print("  … and \(trace.suppressedFindings) more findings not listed") }
        }
        for note in trace.notes { print("note: \(note.text)", to: &err) }
        if trace.suppressedNotes > 0 { print("note: \(trace.suppressedNotes) more notes not shown", to: &err) }
        print(count, to: &err)
    }
}

struct TraceFailure: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) { FileHandle.standardError.write(Data(string.utf8)) }
}
