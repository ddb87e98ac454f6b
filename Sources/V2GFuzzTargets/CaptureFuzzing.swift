import V2GCapture
import V2GTrace

/// `v2g trace`'s whole path on a capture file: the push parser fed in chunks (their size from
/// the first byte), every record through the trace (IP, TCP reassembly, V2GTP, TLS, decoding,
/// checks); fed in other chunks, the same records must come out.
enum CaptureFuzzing {
    static func run(_ bytes: [UInt8]) throws(FuzzFinding) {
        guard let first = bytes.first else { return }
        let file = Array(bytes.dropFirst())
        let chunk = Int(first) + 1
        var parser = CaptureFileParser()
        var trace = Trace(keepEntries: false)
        var records: [CaptureRecord] = []
        var failed = false
        do {
            var at = 0
            while at < file.count {
                let part = try parser.feed(file[at..<min(at + chunk, file.count)])
                records += part
                for record in part { trace.add(record) }
                at += chunk
            }
            try parser.finish()
        } catch {
            failed = true  // a typed error: what a broken file must give
        }
        trace.finish()
        var whole = CaptureFileParser()
        guard !failed, let all = try? whole.feed(file) else { return }
        if all != records { throw FuzzFinding(.capture, "fed in chunks of \(chunk) bytes the parser gave other records than at once") }
    }
}
