import Foundation
import V2GCapture
import V2GTrace

/// A capture file read whole into a trace, and its HTML report written: what `simulate --report` does.
enum TraceReportFile {
    static func write(capture: String, to report: String, title: String) throws {
        var parser = CaptureFileParser()
        var trace = Trace()
        for record in try parser.feed(try Data(contentsOf: URL(fileURLWithPath: capture))) { trace.add(record) }
        try parser.finish()
        trace.finish()
        try Data(TraceReport.html(trace, title: title).utf8).write(to: URL(fileURLWithPath: report))
    }
}
