import Foundation
import Mesos
import Testing
@testable import DevCluster

/// The real `converge-executor` under a real dev cluster agent, driven by the Mesos scheduler client: tasks are
/// launched with a CUSTOM ExecutorInfo (one executor per task) and `ExecutorTaskData` in `TaskInfo.data`; every
/// update is acknowledged like a scheduler does.
final class ExecutorCluster: @unchecked Sendable {  // @unchecked: `events` is only touched under `lock`.
    let cluster: RunningCluster
    let client: SchedulerClient
    let frameworkID: FrameworkID
    private let lock = NSLock()
    private var consumed: Set<OfferID> = []
    private var reader: Task<Void, Never>?
    private var portCursor: UInt64

    static var executorBinary: String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path
        return root + "/.build/debug/converge-executor"
    }

    static func with(agents: Int = 1, portBase: UInt64, checkpoint: Bool = true,
                     configure: (inout DevClusterConfig) -> Void = { _ in },
                     _ body: (ExecutorCluster) async throws -> Void) async throws {
        var config = DevClusterConfig(port: 0, agents: agents, virtual: false)
        config.agents = AgentSpec.defaults(count: agents, template: AgentSpec(), portsPerAgent: 40)
            .map { spec in var spec = spec; spec.portsBegin += portBase - 31000; spec.portsEnd += portBase - 31000; return spec }
        config.heartbeatInterval = 1
        config.allocationInterval = 0.2
        config.executorRegistrationTimeout = 120
        configure(&config)
        let cluster = try await DevCluster.start(config)
        let setup: ExecutorCluster
        do {
            setup = try await ExecutorCluster(cluster: cluster, checkpoint: checkpoint, portBase: portBase)
        } catch {
            await cluster.shutdown()
            throw error
        }
        var failure: (any Error)?
        do { try await body(setup) } catch { failure = error }
        setup.reader?.cancel()
        await setup.client.close()
        let groups = await cluster.processGroups()
        await cluster.shutdown()
        // Nothing the executors started may survive.
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline, !groups.allSatisfy({ ProcessGroupMemory.members(ofGroup: $0).isEmpty }) {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(groups.allSatisfy { ProcessGroupMemory.members(ofGroup: $0).isEmpty }, "processes survived the cluster")
        if let failure { throw failure }
    }

    private init(cluster: RunningCluster, checkpoint: Bool, portBase: UInt64) async throws {
        self.cluster = cluster
        self.portCursor = portBase
        var configuration = MesosClientConfiguration(masters: [MasterEndpoint(scheme: "http", authority: "127.0.0.1:\(cluster.port)")])
        configuration.logger.logLevel = .error
        client = SchedulerClient(configuration: configuration)
        let stream = client.subscribe(framework: FrameworkInfo(user: "test", name: "executor-tests", checkpoint: checkpoint))
        let box = EventBox()
        reader = Task { [client] in
            do {
                for try await event in stream {
                    box.append(event)
                    if event.type == .update, let status = event.update?.status, let uuid = status.uuid,
                       let agentID = status.agentID, let frameworkID = client.frameworkID {
                        try? await client.call(.acknowledge(frameworkID, agentID: agentID, taskID: status.taskID, uuid: uuid))
                    }
                }
            } catch {}
        }
        let deadline = Date().addingTimeInterval(30)
        while client.frameworkID == nil && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        guard let id = client.frameworkID else { throw ExecutorClusterError("no SUBSCRIBED") }
        frameworkID = id
        self.box = box
    }

    private var box = EventBox()

    var allEvents: [Event] { box.all }

    /// Every update for a task, in order.
    func updates(_ taskID: String) -> [TaskStatus] {
        allEvents.compactMap { $0.type == .update ? $0.update?.status : nil }.filter { $0.taskID.value == taskID }
    }

    /// Waits for an update of `taskID` in one of `states`.
    @discardableResult
    func waitFor(_ taskID: String, _ states: Set<TaskState>, timeout: Double = 60,
                 where condition: (TaskStatus) -> Bool = { _ in true }) async throws -> TaskStatus {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let status = updates(taskID).first(where: { states.contains($0.state) && condition($0) }) { return status }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ExecutorClusterError("no \(states.map(\.rawValue).sorted()) for \(taskID) within \(timeout) s; got "
            + updates(taskID).map { "\($0.state) \($0.message ?? "")" }.joined(separator: " | "))
    }

    /// An unused offer from `agent` (index), reviving if needed; offers from other agents are declined.
    func offer(agent: Int = 0, timeout: Double = 30) async throws -> Offer {
        let agentID = cluster.agents[agent].id
        let deadline = Date().addingTimeInterval(timeout)
        try await client.call(.revive(frameworkID))
        while Date() < deadline {
            let offers = allEvents.flatMap { $0.type == .offers ? ($0.offers?.offers ?? []) : [] }
            let fresh = lock.withLock { offers.filter { !consumed.contains($0.id) } }
            if let offer = fresh.first(where: { $0.agentID == agentID }) {
                lock.withLock { _ = consumed.insert(offer.id) }
                return offer
            }
            for other in fresh {
                lock.withLock { _ = consumed.insert(other.id) }
                try? await client.call(.decline(frameworkID, offerIDs: [other.id], filters: Filters(refuseSeconds: 0)))
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ExecutorClusterError("no offer from agent \(agent)")
    }

    /// Ports for a task, from the agent's range, distinct per call.
    func nextPort() -> UInt64 {
        lock.lock()
        defer { lock.unlock() }
        portCursor += 1
        return portCursor
    }

    /// A TaskInfo run by the Converge executor (executor id = "E-" + task id).
    func task(_ id: String, agent: Int = 0, data: ExecutorTaskData, mem: Double = 64, ports: [UInt64] = [],
              killGrace: Double? = nil, healthCheck: HealthCheck? = nil) throws -> TaskInfo {
        var resources: [Resource] = [.scalar("cpus", 0.1), .scalar("mem", mem)]
        if !ports.isEmpty { resources.append(.ranges("ports", ports.map { $0...$0 })) }
        let executor = ExecutorInfo(
            executorID: ExecutorID("E-\(id)"), type: "CUSTOM",
            command: CommandInfo(value: Self.executorBinary, shell: false, arguments: ["converge-executor"]),
            resources: [.scalar("cpus", 0.05), .scalar("mem", 128)], name: "converge-executor")
        return TaskInfo(name: id, taskID: TaskID(id), agentID: cluster.agents[agent].id, resources: resources,
                        healthCheck: healthCheck, killPolicy: killGrace.map { KillPolicy(gracePeriodSeconds: $0) },
                        executor: executor, data: try data.taskData())
    }

    func launch(_ tasks: [TaskInfo], agent: Int = 0) async throws {
        let offer = try await offer(agent: agent)
        try await client.call(.accept(frameworkID, offerIDs: [offer.id],
                                      operations: [OfferOperation(type: .launch, launch: .init(taskInfos: tasks))],
                                      filters: Filters(refuseSeconds: 0)))
    }

    func kill(_ taskID: String, grace: Double? = nil, agent: Int = 0) async throws {
        try await client.call(.kill(frameworkID, taskID: TaskID(taskID), agentID: cluster.agents[agent].id,
                                    killPolicy: grace.map { KillPolicy(gracePeriodSeconds: $0) }))
    }

    func sandbox(_ taskID: String, agent: Int = 0) -> String {
        "\(cluster.workDirectory)/slaves/\(cluster.agents[agent].id.value)/frameworks/\(frameworkID.value)/executors/E-\(taskID)/runs/latest"
    }
}

final class EventBox: @unchecked Sendable {  // @unchecked: `events` is only touched under `lock`.
    private let lock = NSLock()
    private var events: [Event] = []
    func append(_ event: Event) { lock.withLock { events.append(event) } }
    var all: [Event] { lock.withLock { events } }
}

struct ExecutorClusterError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
