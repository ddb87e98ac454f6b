import NIOConcurrencyHelpers
import V2GSession

/// The sessions paused on one charger, kept between connections so that an EV can resume
/// (`SECCSession(resumable:)`). Bounded: beyond `capacity` the oldest pause is forgotten, and a
/// resume consumes its entry, so a paused session is joined at most once.
public final class PausedSessions: Sendable {
    private let entries = NIOLockedValueBox<[PausedSession]>([])
    public let capacity: Int

    public init(capacity: Int = 64) { self.capacity = capacity }

    public var all: [PausedSession] { entries.withLockedValue { $0 } }

    func add(_ session: PausedSession) {
        entries.withLockedValue { list in
            list.removeAll { $0.sessionID == session.sessionID }
            list.append(session)
            if list.count > capacity { list.removeFirst(list.count - capacity) }
        }
    }

    func remove(_ session: PausedSession) {
        entries.withLockedValue { $0.removeAll { $0.sessionID == session.sessionID } }
    }
}
