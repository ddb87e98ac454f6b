/// A normalized, schema-informed element grammar (EXI 1.0 §8.5.4) in table form.
///
/// States are numbered from 0 (the start state of the element's type). Each state lists its
/// first-level productions in event-code order; production *i* of a state has event code *i*.
/// Because the V2G profile runs with `strict = false`, every element grammar state also has
/// second-level productions, so a first-level event code takes ⌈log₂(n + 1)⌉ bits for n
/// first-level productions, and code n is the escape to the second level.
///
/// Terminals are numbered per type by the generator: 0 is EE, 1 is CH (typed simple content),
/// higher numbers are AT/SE events; `terminalNames` gives their names for error messages.
public final class Grammar: @unchecked Sendable {
    public let offsets: [Int32]
    public let bits: [UInt8]
    public let terminals: [UInt16]
    public let targets: [UInt16]
    public let terminalNames: [String]

    // Flat lookup tables for the hot paths, built once per grammar (grammars are static and
    // immutable; the class owns the memory). `@unchecked Sendable`: nothing mutates after init.
    /// Per state: first production index (stateCount + 1 entries).
    @usableFromInline let stateStart: UnsafeMutablePointer<Int32>
    /// Per state: event-code width in bits.
    @usableFromInline let stateBits: UnsafeMutablePointer<UInt8>
    /// Per production: terminal << 16 | target.
    @usableFromInline let decodeTable: UnsafeMutablePointer<UInt32>
    /// Per (state, terminal): 0 when not allowed, else 1 << 31 | code << 20 | width << 16 | target.
    @usableFromInline let encodeTable: UnsafeMutablePointer<UInt32>
    @usableFromInline let terminalCount: Int

    public static let endElement: UInt16 = 0
    public static let characters: UInt16 = 1

    /// Builds the tables from the generator's compact text form: states separated by `;`,
    /// productions by `,`, each production `terminal.target`; terminal names separated by `|`.
    public convenience init(_ encoded: StaticString, names: StaticString) {
        var offsets: [Int32] = [0]
        var bits: [UInt8] = []
        var terminals: [UInt16] = []
        var targets: [UInt16] = []
        var number = 0
        var pendingTerminal = 0
        var countInState = 0
        func closeState() {
            offsets.append(Int32(terminals.count))
            bits.append(UInt8(Grammar.width(countInState + 1)))
            countInState = 0
        }
        encoded.withUTF8Buffer { buf in
            for c in buf {
                switch c {
                case UInt8(ascii: "0")...UInt8(ascii: "9"):
                    number = number * 10 + Int(c - UInt8(ascii: "0"))
                case UInt8(ascii: "."):
                    pendingTerminal = number
                    number = 0
                case UInt8(ascii: ","):
                    terminals.append(UInt16(pendingTerminal)); targets.append(UInt16(number))
                    countInState += 1; number = 0
                case UInt8(ascii: ";"):
                    terminals.append(UInt16(pendingTerminal)); targets.append(UInt16(number))
                    countInState += 1; number = 0
                    closeState()
                default:
                    break
                }
            }
        }
        var ns: [String] = []
        names.withUTF8Buffer { buf in
            ns = buf.split(separator: UInt8(ascii: "|"), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        }
        self.init(offsets: offsets, bits: bits, terminals: terminals, targets: targets, terminalNames: ns)
    }

    deinit {
        stateStart.deallocate()
        stateBits.deallocate()
        decodeTable.deallocate()
        encodeTable.deallocate()
    }

    public var stateCount: Int { bits.count }

    private init(offsets: [Int32], bits: [UInt8], terminals: [UInt16], targets: [UInt16], terminalNames: [String]) {
        self.offsets = offsets; self.bits = bits; self.terminals = terminals; self.targets = targets
        self.terminalNames = terminalNames
        let states = bits.count
        let tcount = max(terminalNames.count, Int(terminals.max() ?? 0) + 1)
        terminalCount = tcount
        stateStart = .allocate(capacity: states + 1)
        stateBits = .allocate(capacity: max(states, 1))
        decodeTable = .allocate(capacity: max(terminals.count, 1))
        encodeTable = .allocate(capacity: max(states * tcount, 1))
        encodeTable.initialize(repeating: 0, count: max(states * tcount, 1))
        for s in 0...states { stateStart[s] = offsets[s] }
        for s in 0..<states {
            stateBits[s] = bits[s]
            let start = Int(offsets[s])
            for i in start..<Int(offsets[s + 1]) {
                decodeTable[i] = UInt32(terminals[i]) << 16 | UInt32(targets[i])
                let slot = s * tcount + Int(terminals[i])
                if encodeTable[slot] == 0 {
                    encodeTable[slot] = 1 << 31 | UInt32(i - start) << 20 | UInt32(bits[s]) << 16 | UInt32(targets[i])
                }
            }
        }
    }

    /// The productions of `state` as (terminal, target) pairs in event-code order.
    public func productions(of state: Int) -> [(terminal: UInt16, target: UInt16)] {
        (Int(offsets[state])..<Int(offsets[state + 1])).map { (terminals[$0], targets[$0]) }
    }

    /// A copy in which `state` has only the productions `keep` accepts; event codes and the code
    /// width are recomputed. Used to model other encoders' grammar deviations for lenient decoding.
    public func filteringProductions(of state: Int, keep: (UInt16) -> Bool) -> Grammar {
        var offsets: [Int32] = [0], bits: [UInt8] = [], terminals: [UInt16] = [], targets: [UInt16] = []
        for s in 0..<stateCount {
            var count = 0
            for p in productions(of: s) where s != state || keep(p.terminal) {
                terminals.append(p.terminal); targets.append(p.target); count += 1
            }
            offsets.append(Int32(terminals.count))
            bits.append(UInt8(Grammar.width(count + 1)))
        }
        return Grammar(offsets: offsets, bits: bits, terminals: terminals, targets: targets, terminalNames: terminalNames)
    }

    /// The terminal number of a terminal name such as `SE(VendorSpecificDataContainer)`.
    public func terminal(named name: String) -> UInt16? {
        terminalNames.firstIndex(of: name).map { UInt16($0) }
    }

    /// Bits needed to write values 0..<n (0 for n ≤ 1).
    @inlinable
    public static func width(_ n: Int) -> Int {
        n <= 1 ? 0 : (Int.bitWidth - (n - 1).leadingZeroBitCount)
    }

    @inlinable
    public func name(of terminal: UInt16) -> String {
        Int(terminal) < terminalNames.count ? terminalNames[Int(terminal)] : "#\(terminal)"
    }
}
