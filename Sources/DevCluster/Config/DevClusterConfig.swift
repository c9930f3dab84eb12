import Foundation

/// Everything a dev cluster needs to start. Defaults suit tests and `converge dev`.
public struct DevClusterConfig: Sendable {
    /// Address of the master (and, in virtual mode, of the shared agent file server). Port 0 picks one.
    public var host: String = "127.0.0.1"
    public var port: Int = 5050
    /// The agents; `AgentSpec.defaults(count:)` makes N alike.
    public var agents: [AgentSpec] = AgentSpec.defaults(count: 3)
    /// Virtual mode: no processes; tasks turn RUNNING after `virtualStartDelay` and report healthy.
    public var virtual: Bool = false
    public var virtualStartDelay: Double = 0.05
    /// Where task sandboxes live; nil: a fresh temporary folder, removed on shutdown.
    public var workDirectory: String?
    public var heartbeatInterval: Double = 15
    /// How often unused resources are offered again.
    public var allocationInterval: Double = 1
    /// Offers not answered within this time are rescinded; nil: never (the Mesos default).
    public var offerTimeout: Double? = nil
    /// Refuse filter applied when DECLINE/ACCEPT carry no `filters`.
    public var defaultRefuseSeconds: Double = 5
    /// First retry delay for unacknowledged status updates (doubles up to `statusUpdateMaxBackoff`).
    public var statusUpdateRetryInterval: Double = 10
    public var statusUpdateMaxBackoff: Double = 600
    /// After an agent stops, how long until checkpointing frameworks' tasks go UNREACHABLE.
    public var agentReregisterTimeout: Double = 2
    /// How often task processes are polled for exit, and memory checked.
    public var reapInterval: Double = 0.05
    public var memoryCheckInterval: Double = 0.5
    /// Grace between SIGTERM and SIGKILL when the kill policy says nothing.
    public var defaultKillGracePeriod: Double = 3
    /// Also listen on a second address that answers like a standby master (307 to the leader).
    public var standby: Bool = false
    /// `zk://host:port/mesos`: register the master (and the standby) there as Mesos masters do.
    public var zooKeeper: String?
    /// Serve each agent's /files on its own loopback address (127.0.0.N+1); off in virtual mode.
    public var agentListeners: Bool = true
    /// Start in "recovering" state for this long (503 on the scheduler API).
    public var recoveryDuration: Double = 0
    public var version: String = "1.11.0"
    /// Custom executors: extra environment variables for every executor (Mesos'
    /// `--executor_environment_variables`); they replace the defaults of the same name (PATH too).
    public var executorEnvironmentVariables: [String: String] = [:]
    /// An executor that has not subscribed within this time is SIGKILLed (`--executor_registration_timeout`).
    public var executorRegistrationTimeout: Double = 60
    /// SHUTDOWN grace when the ExecutorInfo sets none (MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD).
    public var executorShutdownGracePeriod: Double = 5
    /// How long an agent's executor endpoint refuses calls (503) during `/admin/agents/ID/restart-agent`.
    public var agentRestartDowntime: Double = 1

    public init() {}

    public init(port: Int, agents: Int, virtual: Bool = false) {
        self.port = port
        self.agents = AgentSpec.defaults(count: agents, virtual: virtual)
        self.virtual = virtual
        self.agentListeners = !virtual
    }
}

/// The shape of one agent.
public struct AgentSpec: Sendable, Codable, Equatable {
    public var cpus: Double
    public var mem: Double
    public var disk: Double
    /// Inclusive port range handed out to tasks on this agent.
    public var portsBegin: UInt64
    public var portsEnd: UInt64
    public var attributes: [String: String]
    /// Loopback address used as the agent's hostname; nil: 127.0.0.(index+2).
    public var hostname: String?

    public init(cpus: Double = 4, mem: Double = 4096, disk: Double = 10240, portsBegin: UInt64 = 31000,
                portsEnd: UInt64 = 31099, attributes: [String: String] = [:], hostname: String? = nil) {
        self.cpus = cpus
        self.mem = mem
        self.disk = disk
        self.portsBegin = portsBegin
        self.portsEnd = portsEnd
        self.attributes = attributes
        self.hostname = hostname
    }

    /// N alike agents with disjoint port ranges, spread over racks r1..r3 and zones.
    public static func defaults(count: Int, virtual: Bool = false, template: AgentSpec = AgentSpec(),
                                portsPerAgent: UInt64 = 100) -> [AgentSpec] {
        guard count > 0 else { return [] }
        let base: UInt64 = 31000
        let per = max(1, min(portsPerAgent, (65535 - base) / UInt64(count)))
        return (0..<count).map { index in
            var spec = template
            spec.portsBegin = base + UInt64(index) * per
            spec.portsEnd = spec.portsBegin + per - 1
            if spec.attributes.isEmpty {
                spec.attributes = ["rack": "r\(index % 3 + 1)", "zone": index % 2 == 0 ? "zone-a" : "zone-b"]
            }
            return spec
        }
    }

    /// 127.0.0.2 for the first agent, and on through 127.0.x.y for many agents.
    static func loopbackAddress(index: Int) -> String {
        let n = index + 2
        return "127.\((n >> 16) & 0xff).\((n >> 8) & 0xff).\(n & 0xff)"
    }
}
