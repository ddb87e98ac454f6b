import SDP

/// The SDP messages: whatever one of them reads, written again, reads back the same.
enum SDPFuzzing {
    static func run(_ bytes: [UInt8]) throws(FuzzFinding) {
        if let m = try? SDPRequest(frame: bytes), (try? SDPRequest(frame: m.frame)) != m {
            throw FuzzFinding(.sdp, "an SDP request does not read back as itself")
        }
        if let m = try? SDPResponse(frame: bytes), (try? SDPResponse(frame: m.frame)) != m {
            throw FuzzFinding(.sdp, "an SDP response does not read back as itself")
        }
        if let m = try? SDPRequestWireless(frame: bytes), (try? SDPRequestWireless(frame: m.frame)) != m {
            throw FuzzFinding(.sdp, "a wireless SDP request does not read back as itself")
        }
        if let m = try? SDPResponseWireless(frame: bytes), (try? SDPResponseWireless(frame: m.frame)) != m {
            throw FuzzFinding(.sdp, "a wireless SDP response does not read back as itself")
        }
    }
}
