import V2GCapture
import V2GSession

/// One self-contained HTML page of a traced session (no scripts, no external fonts or files):
/// the session's facts, the message sequence as a two-lane diagram with its timing (repeated
/// charge loop exchanges folded into one row), plots of voltage, current, power, SOC and energy
/// over time as inline SVG, the TLS handshake and the findings. `v2g trace --html` and
/// `v2g simulate --report` write it.
public enum TraceReport {
    public static func html(_ trace: Trace, title: String) -> String {
        let entries = trace.entries
        let start = entries.first?.time ?? 0
        var series = TraceSeries()
        for e in entries { series.add(e, start: start) }
        let duration = Double((entries.last?.time ?? start) - start) / 1e9
        var page = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title>
        <style>
        body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#1d2733;max-width:1100px}
        h1{font-size:20px}h2{font-size:16px;margin-top:28px}table{border-collapse:collapse}
        td,th{border-bottom:1px solid #dde3ea;padding:3px 8px;text-align:left;vertical-align:top}
        .violation{color:#b3261e}.warning{color:#8a5a00}.muted{color:#66707a}
        svg text{font:11px system-ui,sans-serif;fill:#1d2733}.plots{display:grid;grid-template-columns:1fr 1fr;gap:12px}
        </style></head><body>
        <h1>\(escape(title))</h1>
        """
        page += facts(trace, duration: duration)
        page += "<h2>Findings against ISO 15118-20</h2>" + findings(trace.findings)
        page += "<h2>Plots</h2><div class=\"plots\">" + series.all.filter { !$0.points.isEmpty }.map(plot).joined() + "</div>"
        page += "<h2>Message sequence</h2>" + sequence(entries, start: start)
        if !trace.notes.isEmpty {
            page += "<h2>Notes</h2><ul>" + trace.notes.map { "<li>\(escape($0.text))</li>" }.joined() + "</ul>"
        }
        return page + "</body></html>\n"
    }

    static func facts(_ trace: Trace, duration: Double) -> String {
        var rows: [(String, String)] = [("frames", "\(trace.entries.count) V2G frames in \(trace.packets) packets"),
                                        ("duration", "\(duration.formatted6) s")]
        for e in trace.entries {
            switch e.message {
            case .request(.common(.sessionSetupReq(let m)), _)?: rows.append(("EVCCID", m.evccid))
            case .response(.common(.sessionSetupRes(let m)), _)?: rows.append(("EVSEID", m.evseid))
            case .request(.common(.serviceSelectionReq(let m)), _)?:
                rows.append(("service", "ServiceID \(m.selectedEnergyTransferService.serviceID), parameter set \(m.selectedEnergyTransferService.parameterSetID)"))
            case .response(.common(.sessionStopRes), _)?: rows.append(("end", "SessionStop answered at frame \(e.index)"))
            default: break
            }
        }
        for s in trace.tlsSessions {
            rows.append(("TLS", s.description))
            for line in s.certificateLines { rows.append(("certificate", line)) }
        }
        if trace.tlsSessions.isEmpty { rows.append(("TLS", "none: the V2G messages travel in the clear")) }
        return "<table>" + rows.map { "<tr><th>\(escape($0.0))</th><td>\(escape($0.1))</td></tr>" }.joined() + "</table>"
    }

    static func findings(_ list: [TraceFinding]) -> String {
        guard !list.isEmpty else { return "<p>Nothing found.</p>" }
        return "<table><tr><th>severity</th><th>frame</th><th>message</th><th>what</th><th>requirement</th></tr>"
            + list.map { f in
                "<tr class=\"\(f.severity.rawValue)\"><td>\(f.severity.rawValue)</td><td>\(f.frame.map(String.init) ?? "")</td><td>\(escape(f.message ?? ""))</td><td>\(escape(f.text + f.again))</td><td>\(escape(f.requirement))</td></tr>"
            }.joined() + "</table>"
    }

    /// A line plot of one series: axes with the range, the line, no script.
    static func plot(_ s: TraceSeries.Series) -> String {
        let width = 520.0, height = 200.0, left = 52.0, bottom = 24.0, top = 20.0, right = 12.0
        let ts = s.points.map(\.t), vs = s.points.map(\.v)
        let t0 = ts.min() ?? 0, t1 = max(ts.max() ?? 1, t0 + 1e-6)
        var v0 = vs.min() ?? 0, v1 = vs.max() ?? 1
        if v0 > 0 { v0 = 0 }
        if v1 - v0 < 1e-9 { v1 = v0 + 1 }
        func x(_ t: Double) -> Double { left + (t - t0) / (t1 - t0) * (width - left - right) }
        func y(_ v: Double) -> Double { height - bottom - (v - v0) / (v1 - v0) * (height - bottom - top) }
        let points = s.points.map { "\(x($0.t).formatted1),\(y($0.v).formatted1)" }.joined(separator: " ")
        return """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Int(width)) \(Int(height))" role="img" aria-label="\(escape(s.name))">
        <text x="\(left)" y="13">\(escape(s.name)) (\(escape(s.unit)))</text>
        <line x1="\(left)" y1="\(height - bottom)" x2="\(width - right)" y2="\(height - bottom)" stroke="#9aa5b1"/>
        <line x1="\(left)" y1="\(top)" x2="\(left)" y2="\(height - bottom)" stroke="#9aa5b1"/>
        <text x="4" y="\(top + 4)">\(v1.formatted1)</text><text x="4" y="\(height - bottom)">\(v0.formatted1)</text>
        <text x="\(left)" y="\(height - 6)">\(t0.formatted1) s</text><text x="\(width - right - 50)" y="\(height - 6)">\(t1.formatted1) s</text>
        <polyline fill="none" stroke="#1f6feb" stroke-width="1.5" points="\(points)"/>
        </svg>
        """
    }

    /// The two lanes: EVCC left, SECC right; an arrow per exchange, charge loop runs folded.
    static func sequence(_ entries: [TraceEntry], start: Int64) -> String {
        struct Row { var from: V2GRole?; var label: String; var time: Double; var code: String? }
        var rows: [Row] = []
        var i = 0
        while i < entries.count {
            let e = entries[i]
            // A run of charge loop requests and responses: one row with its count and span.
            if isLoop(e) {
                var j = i
                while j + 1 < entries.count, isLoop(entries[j + 1]) { j += 1 }
                if j - i >= 3 {
                    let span = Double(entries[j].time - e.time) / 1e9
                    rows.append(Row(from: nil, label: "\(e.name.replacingOccurrences(of: "Req", with: "")) × \((j - i + 1) / 2) exchanges over \(span.formatted1) s", time: Double(e.time - start) / 1e9, code: nil))
                    i = j + 1
                    continue
                }
            }
            rows.append(Row(from: e.from, label: e.name, time: Double(e.time - start) / 1e9, code: e.responseCode))
            i += 1
        }
        let rowHeight = 22.0, width = 760.0, evcc = 150.0, secc = 610.0
        let height = Double(rows.count) * rowHeight + 40
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"message sequence\">"
        svg += "<text x=\"\(evcc - 16)\" y=\"14\">EVCC</text><text x=\"\(secc - 16)\" y=\"14\">SECC</text>"
        svg += "<line x1=\"\(evcc)\" y1=\"20\" x2=\"\(evcc)\" y2=\"\(height)\" stroke=\"#9aa5b1\"/><line x1=\"\(secc)\" y1=\"20\" x2=\"\(secc)\" y2=\"\(height)\" stroke=\"#9aa5b1\"/>"
        svg += "<defs><marker id=\"a\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"6\" markerHeight=\"6\" orient=\"auto\"><path d=\"M0,0L10,5L0,10z\" fill=\"#1d2733\"/></marker></defs>"
        for (n, r) in rows.enumerated() {
            let y = 40 + Double(n) * rowHeight
            svg += "<text x=\"4\" y=\"\(y + 4)\" class=\"muted\">\(r.time.formatted3) s</text>"
            switch r.from {
            case .evcc?: svg += "<line x1=\"\(evcc)\" y1=\"\(y)\" x2=\"\(secc)\" y2=\"\(y)\" stroke=\"#1d2733\" marker-end=\"url(#a)\"/>"
            case .secc?: svg += "<line x1=\"\(secc)\" y1=\"\(y)\" x2=\"\(evcc)\" y2=\"\(y)\" stroke=\"#1f6feb\" marker-end=\"url(#a)\"/>"
            case nil: svg += "<line x1=\"\(evcc)\" y1=\"\(y)\" x2=\"\(secc)\" y2=\"\(y)\" stroke=\"#9aa5b1\" stroke-dasharray=\"4 3\"/>"
            }
            let label = r.label + (r.code.map { $0 == "OK" ? "" : "  \($0)" } ?? "")
            svg += "<text x=\"\(evcc + 10)\" y=\"\(y - 4)\">\(escape(label))</text>"
        }
        return svg + "</svg>"
    }

    static func isLoop(_ e: TraceEntry) -> Bool {
        switch e.message {
        case .request(let m, .main)?: return m.kind?.isChargeLoop ?? false
        case .response(let m, .main)?: return m.kind?.isChargeLoop ?? false
        default: return false
        }
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }
}

extension Double {
    /// One decimal, whole numbers without it (values come from the peer: any Double, huge ones included).
    var formatted1: String {
        let r = (self * 10).rounded() / 10
        return r == r.rounded() && abs(r) < 1e15 ? String(Int(r)) : String(r)
    }
    var formatted3: String { String((self * 1000).rounded() / 1000) }
}
