/// The agents of one placement round laid out as parallel arrays, so the inner loop touches no dictionaries
/// and allocates nothing. Indexes are positions in the round's agent list.
struct PlacementTable {
    var availCpus: [Double]
    var availMem: [Double]
    var availDisk: [Double]
    let totalCpus: [Double]
    let totalMem: [Double]
    var freePorts: [Int]
    var ports: [[PortRange]]
    var inUse: [Bool]
    /// Interned hostname, agent id and rack (-1: no rack) of each snapshot.
    let host: [Int32]
    let agentKey: [Int32]
    let rack: [Int32]
    /// How many snapshots share each host (agents with several roles, several agents on one host).
    let snapshotsPerHost: [Int32]
    let hostIndex: [String: Int32]
    let agentIndex: [String: Int32]
    var rackIndex: [String: Int32]

    init(agents: [AgentSnapshot]) {
        let count = agents.count
        availCpus = agents.map(\.available.cpus)
        availMem = agents.map(\.available.memMb)
        availDisk = agents.map(\.available.diskMb)
        totalCpus = agents.map { max($0.total.cpus, $0.available.cpus) }
        totalMem = agents.map { max($0.total.memMb, $0.available.memMb) }
        ports = agents.map(\.ports)
        freePorts = ports.map(\.portCount)
        inUse = agents.map { $0.runsTasks || $0.available.cpus + ResourceAmounts.epsilon < $0.total.cpus }
        var hosts: [String: Int32] = [:]
        var keys: [String: Int32] = [:]
        var racks: [String: Int32] = [:]
        var host = [Int32](repeating: 0, count: count)
        var agentKey = [Int32](repeating: 0, count: count)
        var rack = [Int32](repeating: -1, count: count)
        for (index, agent) in agents.enumerated() {
            host[index] = Self.intern(agent.hostname, in: &hosts)
            agentKey[index] = Self.intern(agent.id, in: &keys)
            if let name = agent.rack { rack[index] = Self.intern(name, in: &racks) }
        }
        self.host = host
        var perHost = [Int32](repeating: 0, count: hosts.count)
        for index in host { perHost[Int(index)] += 1 }
        snapshotsPerHost = perHost
        self.agentKey = agentKey
        self.rack = rack
        hostIndex = hosts
        agentIndex = keys
        rackIndex = racks
    }

    static func intern(_ name: String, in table: inout [String: Int32]) -> Int32 {
        if let index = table[name] { return index }
        let index = Int32(table.count)
        table[name] = index
        return index
    }
}

