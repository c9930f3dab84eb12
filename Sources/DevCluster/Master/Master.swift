import Foundation
import Logging
import Mesos

/// The dev master: frameworks, agents, offers, tasks and their status updates. One actor owns the
/// whole state, so every call sees a consistent cluster; the HTTP layer only translates.
actor Master {
    let config: DevClusterConfig
    let masterID: String
    let startTime = Date().timeIntervalSince1970
    var electedTime = Date().timeIntervalSince1970
    let workDirectory: String
    let logger: Logger
    var address = "127.0.0.1:5050"

    var agents: [AgentID: AgentRecord] = [:]
    var agentOrder: [AgentID] = []
    var frameworks: [FrameworkID: FrameworkRecord] = [:]
    var removedFrameworks: [FrameworkID: FrameworkRecord] = [:]
    var tasks: [TaskKey: TaskRecord] = [:]
    var pendingAcks: Set<TaskKey> = []
    /// No pending update is due for a re-send before this time.
    var nextRetryDue = Date.distantFuture
    var offers: [OfferID: OfferRecord] = [:]
    var inverseOffers: [OfferID: InverseOfferRecord] = [:]
    var schedule = MaintenanceSchedule(windows: [])
    /// Machines (by hostname) started into maintenance: DOWN.
    var downMachines: Set<String> = []

    var supervisor: TaskSupervisor?
    /// Custom executors by agent, framework and executor id, and the processes that run them.
    var executors: [ExecutorKey: ExecutorRecord] = [:]
    var completedExecutors: [ExecutorRecord] = []
    var executorSupervisor: ExecutorSupervisor?
    /// Agents whose executor endpoint answers 503 until then (an agent process restart).
    var agentRecoveringUntil: [AgentID: Date] = [:]
    var nextFrameworkNumber = 0
    var nextOfferNumber = 0
    var recoveringUntil: Date?
    /// Standby mode: answer 307 to this leader ("host:port").
    var leaderRedirect: String?
    /// The standby address took over (`failOver(to:)`): it serves the API and the main address answers 307.
    var standbyLeads = false
    var standbyAddress: String?
    /// The masters' znodes, with `zooKeeper`.
    var registration: MasterRegistration?
    var heartbeatsSilenced = false
    var allocationRequested = true
    var lastAllocation = Date.distantPast
    private var loop: Task<Void, Never>?
    private var heartbeats: Task<Void, Never>?

    init(config: DevClusterConfig, workDirectory: String, logger: Logger) {
        self.config = config
        self.workDirectory = workDirectory
        self.logger = logger
        self.masterID = UUID().uuidString.lowercased()
        if config.recoveryDuration > 0 { recoveringUntil = Date().addingTimeInterval(config.recoveryDuration) }
    }

    // MARK: Lifecycle

    func start(address: String, agentPorts: [Int]) {
        self.address = address
        if !config.virtual {
            let supervisor = TaskSupervisor(config: config) { [weak self] report in await self?.agentReported(report) }
            self.supervisor = supervisor
            Task { await supervisor.start() }
            let executorSupervisor = ExecutorSupervisor(config: config, cacheDirectory: workDirectory + "/fetcher-cache") {
                [weak self] exit in await self?.executorExited(exit)
            }
            self.executorSupervisor = executorSupervisor
            Task { await executorSupervisor.start() }
        }
        for (index, spec) in config.agents.enumerated() {
            addAgent(index: index, spec: spec, port: index < agentPorts.count ? agentPorts[index] : 0)
        }
        loop = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(20))
                await self?.tick()
            }
        }
        let interval = config.heartbeatInterval
        heartbeats = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(Int(interval * 1000)))
                await self?.sendHeartbeats()
            }
        }
    }

    /// Ends every stream and kills every task process.
    func shutdown() async {
        loop?.cancel()
        heartbeats?.cancel()
        for (id, framework) in frameworks {
            framework.stream?.close()
            frameworks[id]?.stream = nil
        }
        for executor in executors.values { executor.stream?.close() }
        await executorSupervisor?.shutdown()
        await supervisor?.shutdown()
    }

    func processGroups() async -> [Int32] {
        (await supervisor?.allProcessGroups ?? []) + (await executorSupervisor?.allProcessGroups ?? [])
    }

    func addAgent(index: Int, spec: AgentSpec, port: Int) {
        let id = AgentID("\(masterID)-S\(index)")
        let hostname = spec.hostname ?? AgentSpec.loopbackAddress(index: index)
        var total = ResourceBag(scalars: ["cpus": spec.cpus, "mem": spec.mem, "disk": spec.disk])
        if spec.portsEnd >= spec.portsBegin { total.ports = PortSet([spec.portsBegin...spec.portsEnd]) }
        agents[id] = AgentRecord(id: id, index: index, spec: spec, hostname: hostname, port: port, total: total,
                                 registeredTime: Date().timeIntervalSince1970)
        agentOrder.append(id)
        allocationRequested = true
    }

    // MARK: Periodic work

    func tick() async {
        let now = Date()
        // Frameworks that stayed away longer than their failover timeout are removed.
        for (id, framework) in frameworks where !framework.connected {
            if let since = framework.disconnectedAt, now.timeIntervalSince(since) >= framework.failoverTimeout {
                logger.info("framework \(id) did not re-subscribe within its failover timeout; removing it")
                await removeFramework(id, reason: "failover timeout")
            }
        }
        if let timeout = config.offerTimeout {
            for offer in offers.values where now.timeIntervalSince(offer.created) >= timeout {
                rescind(offer.id, notify: true)
            }
        }
        retryPendingUpdates(now: now)
        await checkExecutors(now: now)
        for id in agentOrder {
            guard let agent = agents[id] else { continue }
            if let stopped = agent.stoppedAt, !agent.unreachable,
               now.timeIntervalSince(stopped) >= config.agentReregisterTimeout {
                markUnreachable(id)
            }
            if agent.mode == .draining, !tasks.values.contains(where: { $0.agentID == id && !$0.state.isTerminal }) {
                agents[id]?.mode = .drained
            }
        }
        if recoveringUntil.map({ now >= $0 }) == true { recoveringUntil = nil }
        // Event-triggered allocations are batched (at most one per 50 ms), as Mesos batches them.
        let sinceLast = now.timeIntervalSince(lastAllocation)
        if (allocationRequested && sinceLast >= 0.05) || sinceLast >= config.allocationInterval {
            allocationRequested = false
            lastAllocation = now
            allocate(now: now)
            sendInverseOffers(now: now)
        }
    }

    func sendHeartbeats() {
        guard !heartbeatsSilenced else { return }
        for framework in frameworks.values {
            framework.stream?.send(Event(type: .heartbeat))
        }
    }

    // MARK: Sending

    /// Sends an event to a framework if it is connected.
    @discardableResult
    func send(_ event: Event, to frameworkID: FrameworkID) -> Bool {
        guard let stream = frameworks[frameworkID]?.stream else { return false }
        return stream.send(event)
    }

    var masterInfo: MasterInfo {
        let parts = address.split(separator: ":")
        let host = parts.first.map(String.init) ?? "127.0.0.1"
        let port = parts.count > 1 ? UInt32(parts[1]) ?? 5050 : 5050
        var info = MasterInfo(id: masterID, port: port, pid: "master@\(address)", hostname: host, version: config.version)
        info.address = Address(hostname: host, ip: host, port: Int32(port))
        info.ip = Self.ipv4Number(host)
        return info
    }

    /// Mesos puts the IPv4 address as a 32-bit number in network byte order.
    static func ipv4Number(_ host: String) -> UInt32? {
        let octets = host.split(separator: ".").compactMap { UInt32($0) }
        guard octets.count == 4 else { return nil }
        return octets[0] | octets[1] << 8 | octets[2] << 16 | octets[3] << 24
    }

    static func newUUID() -> Bytes {
        let uuid = UUID().uuid
        return Bytes(withUnsafeBytes(of: uuid) { Data($0) })
    }
}
