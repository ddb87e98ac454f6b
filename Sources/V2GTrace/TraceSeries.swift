import ISO20AC
import ISO20Common
import ISO20DC
import V2GSession

/// The values over time a report plots, read from the charge loop (and the meter): seconds from
/// the first frame, and the value.
public struct TraceSeries: Sendable {
    public struct Series: Sendable {
        public var name: String
        public var unit: String
        public var points: [(t: Double, v: Double)] = []
    }

    public var evPresentVoltage = Series(name: "EV present voltage", unit: "V")
    public var evsePresentVoltage = Series(name: "EVSE present voltage", unit: "V")
    public var evsePresentCurrent = Series(name: "EVSE present current", unit: "A")
    public var power = Series(name: "power", unit: "kW")
    public var soc = Series(name: "SOC", unit: "%")
    public var energy = Series(name: "energy (meter)", unit: "kWh")

    public init() {}

    public var all: [Series] { [evPresentVoltage, evsePresentVoltage, evsePresentCurrent, power, soc, energy] }

    mutating func add(_ e: TraceEntry, start: Int64) {
        let t = Double(e.time - start) / 1e9
        switch e.message {
        case .request(.dc(.dc_ChargeLoopReq(let m)), _)?:
            evPresentVoltage.points.append((t, m.evPresentVoltage.doubleValue))
            if let s = m.displayParameters?.presentSOC { soc.points.append((t, Double(s))) }
        case .response(.dc(.dc_ChargeLoopRes(let m)), _)?:
            let v = m.evsePresentVoltage.doubleValue, i = m.evsePresentCurrent.doubleValue
            evsePresentVoltage.points.append((t, v))
            evsePresentCurrent.points.append((t, i))
            power.points.append((t, v * i / 1000))
            if let meter = m.meterInfo { energy.points.append((t, Double(meter.chargedEnergyReadingWh) / 1000)) }
        case .request(.ac(.ac_ChargeLoopReq(let m)), _)?:
            if let p = m.clReqControlMode.evPresentActivePower { power.points.append((t, p.total / 1000)) }
            if let s = m.displayParameters?.presentSOC { soc.points.append((t, Double(s))) }
        case .response(.ac(.ac_ChargeLoopRes(let m)), _)?:
            if let meter = m.meterInfo { energy.points.append((t, Double(meter.chargedEnergyReadingWh) / 1000)) }
        default:
            break
        }
    }
}
