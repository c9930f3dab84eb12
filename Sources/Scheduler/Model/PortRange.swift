/// An inclusive range of port numbers, as Mesos offers them in a RANGES resource.
public struct PortRange: Sendable, Hashable {
    public var begin: Int
    public var end: Int

    public init(_ begin: Int, _ end: Int) {
        self.begin = begin
        self.end = end
    }

    public var count: Int { end >= begin ? end - begin + 1 : 0 }
}

extension Array where Element == PortRange {
    /// The number of ports in all ranges.
    var portCount: Int { reduce(0) { $0 + $1.count } }

    /// Takes the `count` lowest ports out of the ranges; returns nil (and changes nothing) when too few remain.
    mutating func takeLowest(_ count: Int) -> [Int]? {
        guard count > 0 else { return [] }
        guard portCount >= count else { return nil }
        var taken: [Int] = []
        taken.reserveCapacity(count)
        var index = 0
        while taken.count < count, index < self.count {
            var range = self[index]
            while taken.count < count, range.begin <= range.end {
                taken.append(range.begin)
                range.begin += 1
            }
            if range.begin > range.end {
                remove(at: index)
            } else {
                self[index] = range
                index += 1
            }
        }
        return taken
    }
}
