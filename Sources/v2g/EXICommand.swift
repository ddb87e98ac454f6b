import ArgumentParser
import EXI
import Foundation
import V2GCodec

extension MessageSchema: ExpressibleByArgument {}

struct EXICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exi",
        abstract: "Encode and decode EXI documents of the V2G message sets.",
        subcommands: [Decode.self, Encode.self])

    /// Runs `body` for the positional argument, or for each line of standard input. A failing item
    /// prints `error: <reason>` and the rest go on; the exit status is 1 if any failed.
    static func forEachItem(_ argument: String?, _ body: (String) throws -> String) throws {
        var failed = false
        func run(_ item: String) {
            do { print(try body(item)) } catch {
                print("error: \(error)")
                failed = true
            }
        }
        if let argument {
            run(argument)
        } else {
            while let line = readLine(strippingNewline: true) {
                if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
                run(line)
            }
        }
        if failed { throw ExitCode(1) }
    }

    struct Decode: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Decode hex EXI to one line of JSON.")

        @Option(help: "Message set: sap, common, dc, ac, wpt, acdp, xmldsig.") var schema: MessageSchema?
        @Flag(help: "The input is an EXI fragment of one signable element (what XML signatures digest).") var fragment = false
        @Flag(help: "The input is a whole V2GTP frame; its payload type picks the message set.") var v2gtp = false
        @Flag(help: "Also accept known deviations of other encoders (cbexigen ACDP root order, WPT list end).") var lenient = false
        @Argument(help: "Hex input; without it, one item per line of standard input.") var hex: String?

        func validate() throws {
            if !v2gtp && schema == nil { throw ValidationError("--schema is required unless --v2gtp is given") }
            if fragment && v2gtp { throw ValidationError("--fragment and --v2gtp exclude each other") }
        }

        func run() throws {
            try EXICommand.forEachItem(hex) { item in
                guard let bytes = Hex.decode(item) else { throw ValidationError("input is not hex") }
                if v2gtp {
                    let (_, doc) = try V2GDocument.decode(v2gtpFrame: bytes)
                    return try doc.jsonString()
                }
                guard let schema else { throw ValidationError("--schema is required") }
                if fragment { return try V2GFragment.decode(bytes, schema: schema).jsonString() }
                if lenient { return try V2GDocument.decodeLeniently(bytes, schema: schema).0.jsonString() }
                return try V2GDocument.decode(bytes, schema: schema).jsonString()
            }
        }
    }

    struct Encode: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Encode JSON to lower-case hex EXI.")

        @Option(help: "Message set: sap, common, dc, ac, wpt, acdp, xmldsig.") var schema: MessageSchema
        @Flag(help: "Encode an EXI fragment of one signable element (what XML signatures digest).") var fragment = false
        @Flag(help: "Emit string-table hits for repeated strings (off by default: V2G peers expect misses).") var stringTableHits = false
        @Argument(help: "JSON input; without it, one document per line of standard input.") var json: String?

        func run() throws {
            let options = EXIEncoder.Options(stringTableHits: stringTableHits)
            try EXICommand.forEachItem(json) { item in
                if fragment {
                    return Hex.encode(try V2GFragment(json: item, schema: schema).encode(options: options), uppercase: false)
                }
                let doc = try V2GDocument(json: item, schema: schema)
                return Hex.encode(try doc.encode(options: options), uppercase: false)
            }
        }
    }
}
