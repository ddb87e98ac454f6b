import Benchmark
import EXI

/// Encode and decode, per message: time per operation, allocations, peak memory.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident, .throughput],
        timeUnits: .nanoseconds,
        // A thousand operations per sample: one encode takes well under a microsecond, so the
        // harness's own per-sample cost would otherwise dominate. Figures are per operation.
        scalingFactor: .kilo,
        maxDuration: .seconds(2),
        maxIterations: 10_000)

    for (name, message) in Messages.all {
        encodeBenchmark(name, message)
        decodeBenchmark(name, message)
    }
    // Other stacks' messages, the input of the side-by-side run against libcbv2g.
    // The side-by-side with libcbv2g: its bytes decoded as they are; libcbv2g encodes into the
    // caller's buffer, so these encode into a reused one too.
    for vector in VectorMessages.load() {
        encodeIntoBufferBenchmark("vector \(vector.name)", vector.message)
        decodeBenchmark("vector \(vector.name)", vector.message, bytes: vector.bytes)
    }
}

func encodeIntoBufferBenchmark<M: EXIRootCoder>(_ name: String, _ message: M) {
    Benchmark("encode \(name) (into a reused buffer)") { benchmark in
        var buffer: [UInt8] = []
        for _ in benchmark.scaledIterations {
            try message.encodeEXI(options: .default, into: &buffer)
            blackHole(buffer.count)  // as libcbv2g's harness keeps the length, not the buffer
        }
    }
}

func encodeBenchmark<M: EXIRootCoder>(_ name: String, _ message: M) {
    Benchmark("encode \(name)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try message.encodeEXI(options: .default))
        }
    }
}

/// Decodes `bytes`, by default our own encoding of `message`.
func decodeBenchmark<M: EXIRootCoder>(_ name: String, _ message: M, bytes given: [UInt8]? = nil) {
    // Encoding here cannot fail: the messages are schema-valid, and a failure stops the run.
    guard let bytes = try? given ?? message.encodeEXI(options: .default) else { fatalError("\(name) does not encode") }
    Benchmark("decode \(name) (\(bytes.count) bytes)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try M.decodeEXI(bytes))
        }
    }
}
