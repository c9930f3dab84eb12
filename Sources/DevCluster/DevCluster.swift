import Foundation
import Hummingbird
import Logging
import Mesos
import NIOCore

/// A local Mesos-compatible master with simulated agents; see docs/devcluster.md.
public enum DevCluster {
    /// Starts the master (and the agents' file servers) and returns once they listen.
    public static func start(_ config: DevClusterConfig, logger: Logger = Logger(label: "dev-cluster")) async throws -> RunningCluster {
        var quiet = logger
        if ProcessInfo.processInfo.environment["LOG_LEVEL"] == nil { quiet.logLevel = .warning }
        let ownsWorkDirectory = config.workDirectory == nil
        let workDirectory = config.workDirectory
            ?? (NSTemporaryDirectory() as NSString).appendingPathComponent("converge-dev-cluster-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(atPath: workDirectory, withIntermediateDirectories: true)
        let root = (workDirectory as NSString).resolvingSymlinksInPath

        let master = Master(config: config, workDirectory: root, logger: quiet)
        var servers: [HTTPListener] = []
        let agentListeners = config.agentListeners && !config.virtual
        do {
            let sharedFiles = agentListeners ? nil : FilesEndpoint { await master.fileAttachments(agentID: nil) }
            let masterResponder = MasterResponder(master: master, sharedFiles: sharedFiles)
            let main = try await HTTPListener.start(host: config.host, port: config.port, logger: quiet) { request in
                // After a failover to the standby this address answers like a non-leading master.
                let path = request.uri.path
                if await master.standbyLeads, let leader = await master.standbyAddress,
                   path.hasPrefix("/api/v1") || path.hasPrefix("/master") || path == "/state" || path == "/redirect" {
                    return Reply.redirect(to: "//\(leader)\(path == "/redirect" || path == "/master/redirect" ? "" : path)")
                }
                return await masterResponder.respond(to: request)
            }
            servers.append(main)
            let address = "\(config.host):\(main.port)"

            var agentPorts: [Int] = []
            if agentListeners {
                for (index, spec) in config.agents.enumerated() {
                    let hostname = spec.hostname ?? AgentSpec.loopbackAddress(index: index)
                    let responder = AgentResponder(master: master, agentID: AgentID("\(master.masterID)-S\(index)"))
                    let listener = try await HTTPListener.start(host: hostname, port: 0, logger: quiet) { request in
                        await responder.respond(to: request)
                    }
                    servers.append(listener)
                    agentPorts.append(listener.port)
                }
            } else {
                agentPorts = Array(repeating: main.port, count: config.agents.count)
            }

            var standbyAddress: String?
            if config.standby {
                let standby = try await HTTPListener.start(host: config.host, port: 0, logger: quiet) { request in
                    if await master.standbyLeads { return await masterResponder.respond(to: request) }
                    if request.uri.path.hasPrefix("/api/v1") || request.uri.path.hasPrefix("/master") {
                        return Reply.redirect(to: "//\(address)\(request.uri.path)")
                    }
                    return Reply.text(.notFound)
                }
                servers.append(standby)
                standbyAddress = "\(config.host):\(standby.port)"
            }
            await master.start(address: address, agentPorts: agentPorts)
            var registration: MasterRegistration?
            if let zooKeeper = config.zooKeeper {
                let registered = try await MasterRegistration.connect(zooKeeper, logger: quiet)
                registration = registered
                do {
                    try await registered.register(hostPort: address, masterID: master.masterID, version: config.version)
                    if let standbyAddress {
                        try await registered.register(hostPort: standbyAddress, masterID: master.masterID, version: config.version)
                    }
                } catch {
                    await registered.close()
                    throw error
                }
            }
            var agentList: [RunningCluster.Agent] = []
            for id in await master.agentIDs() {
                if let record = await master.agentRecord(id) {
                    agentList.append(RunningCluster.Agent(id: id, hostname: record.hostname, port: record.port))
                }
            }
            await master.setRegistration(registration, standbyAddress: standbyAddress)
            return RunningCluster(master: master, servers: servers, address: address, standbyAddress: standbyAddress,
                                  agents: agentList, workDirectory: root, ownsWorkDirectory: ownsWorkDirectory,
                                  registration: registration)
        } catch {
            for server in servers { await server.stop() }
            await master.shutdown()
            if ownsWorkDirectory { try? FileManager.default.removeItem(atPath: workDirectory) }
            throw error
        }
    }
}

public struct DevClusterError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// A started dev cluster.
public final class RunningCluster: Sendable {
    public struct Agent: Sendable, Equatable {
        public let id: AgentID
        /// The agent's loopback address.
        public let hostname: String
        /// Port of the agent's /files and /state endpoints.
        public let port: Int
    }

    let master: Master
    private let servers: [HTTPListener]
    /// "127.0.0.1:5050"
    public let address: String
    /// A second address answering like a standby master (307 to the leader), when configured.
    public let standbyAddress: String?
    public let agents: [Agent]
    public let workDirectory: String
    private let ownsWorkDirectory: Bool
    let registration: MasterRegistration?

    init(master: Master, servers: [HTTPListener], address: String, standbyAddress: String?, agents: [Agent],
         workDirectory: String, ownsWorkDirectory: Bool, registration: MasterRegistration? = nil) {
        self.registration = registration
        self.master = master
        self.servers = servers
        self.address = address
        self.standbyAddress = standbyAddress
        self.agents = agents
        self.workDirectory = workDirectory
        self.ownsWorkDirectory = ownsWorkDirectory
    }

    public var masterURL: String { "http://\(address)" }
    public var port: Int { Int(address.split(separator: ":").last ?? "0") ?? 0 }

    /// Process groups of every task process started so far (for hygiene checks).
    public func processGroups() async -> [Int32] { await master.processGroups() }

    /// The standby address takes over with the same state (needs `standby`): streams close, the main address
    /// answers 307 to the standby, and with `zooKeeper` the main address's znode is deleted so the standby's
    /// (higher sequence) node leads.
    public func failOverToStandby() async throws {
        guard let standbyAddress else { throw DevClusterError(message: "failover needs a standby address (config.standby)") }
        try await master.failOver(to: standbyAddress)
    }

    /// Ends every stream, kills every task process group, stops listening.
    public func shutdown() async {
        await registration?.close()
        await master.shutdown()
        for server in servers { await server.stop() }
        if ownsWorkDirectory { try? FileManager.default.removeItem(atPath: workDirectory) }
    }
}
