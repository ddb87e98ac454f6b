import Foundation
import V2GCodeGen

// v2g-codegen [--schemas DIR] [--output DIR]
// Regenerates Sources/*/Generated from the XSDs. Default schemas: ../shared/schemas (or
// $V2G_TEST_DATA/schemas); default output: the current directory (the package root).
var schemas: String? = nil
var output = FileManager.default.currentDirectoryPath
var args = CommandLine.arguments.dropFirst()
while let a = args.popFirst() {
    switch a {
    case "--schemas": schemas = args.popFirst()
    case "--output": output = args.popFirst() ?? output
    case "-h", "--help":
        print("usage: v2g-codegen [--schemas DIR] [--output DIR]")
        exit(0)
    default:
        FileHandle.standardError.write(Data("unknown argument \(a)\n".utf8))
        exit(2)
    }
}
let schemaDir = schemas
    ?? ProcessInfo.processInfo.environment["V2G_TEST_DATA"].map { $0 + "/schemas" }
    ?? "../shared/schemas"
do {
    let files = try CodeGenerator(schemas: URL(fileURLWithPath: schemaDir)).generate()
    let root = URL(fileURLWithPath: output)
    // Remove stale generated files so that the output is exactly what the schemas give.
    for module in Set(files.keys.map { $0.split(separator: "/").dropLast().joined(separator: "/") }) {
        let dir = root.appendingPathComponent(module)
        if let old = try? FileManager.default.contentsOfDirectory(atPath: dir.path) {
            for f in old where f.hasSuffix(".swift") { try FileManager.default.removeItem(at: dir.appendingPathComponent(f)) }
        }
    }
    for (path, text) in files.sorted(by: { $0.key < $1.key }) {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }
    print("generated \(files.count) files from \(schemaDir)")
} catch {
    FileHandle.standardError.write(Data("v2g-codegen: \(error)\n".utf8))
    exit(1)
}
