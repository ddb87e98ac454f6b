import ArgumentParser

@main
struct V2G: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "v2g",
        abstract: "ISO 15118-20 toolkit: EXI codec, simulators, PKI.",
        subcommands: [SimulateCommand.self, SECCCommand.self, EVCCCommand.self, EXICommand.self, PKICommand.self, SDPCommand.self, TraceCommand.self, LoadCommand.self])
}
