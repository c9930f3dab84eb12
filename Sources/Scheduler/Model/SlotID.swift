/// One instance slot of a service: `web[0]`, `web[1]`, ... Deploys and scaling reconcile per slot.
public struct SlotID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var service: String
    public var instance: Int

    public init(service: String, instance: Int) {
        self.service = service
        self.instance = instance
    }

    public var description: String { "\(service)[\(instance)]" }

    public static func < (lhs: SlotID, rhs: SlotID) -> Bool {
        lhs.service == rhs.service ? lhs.instance < rhs.instance : lhs.service < rhs.service
    }
}
