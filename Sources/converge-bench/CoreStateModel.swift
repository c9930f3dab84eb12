import Foundation
import Manifests
import Scheduler

/// What the scheduler core keeps in memory for a fleet, built from the Scheduler module's own types:
/// the `ClusterState` (tasks by id and per service, agents) plus, per service, the workload it was handed,
/// the deploy it works toward, where that deploy stands, recent deploy history, launch gate and overrides.
/// This is the benchmark's model of the core's state (the core's private fields may differ in shape, not in
/// what they must hold).
struct CoreStateModel {
    struct Service {
        var workload: Workload
        /// Templates by deploy id (the current one, and the one running while a deploy is in progress).
        var templates: [String: Workload]
        var desired: DeploySpec
        var status: DeployStatus?
        /// Newest first.
        var deploys: [DeployHistoryEntry]
        var launchGate: LaunchGate
        var overrides: [Override]
        var pendingReason: String?
    }

    /// Facts about a task that `TaskRecord` does not hold (what the core reads from task labels).
    struct TaskExtras {
        var kind: WorkloadKind?
        var fireTime: Date?
        var attempt: Int?
        var killReason: KillReason?
        var killGrace: Double?
    }

    var revision: String
    var cluster: ClusterState
    var taskExtras: [String: TaskExtras]
    var services: [String: Service]
    var decommissioningAgents: Set<String>

    /// `deploysKept` history entries per service; one service in 20 is mid-deploy (its tasks run the
    /// previous deploy, the desired one is new), one in 100 has a scale override, one in 200 a backoff.
    static func build(workloads: [String: Workload], agents agentCount: Int, deploysKept: Int, now: Date) -> CoreStateModel {
        var random = SeededGenerator(seed: 2026)
        var cluster = ClusterState()
        var agents: [AgentSnapshot] = []
        agents.reserveCapacity(agentCount)
        for index in 0..<agentCount {
            let big = index % 3 == 0
            let total = ResourceAmounts(cpus: big ? 32 : 16, memMb: big ? 131_072 : 65_536, diskMb: 500_000)
            let agent = AgentSnapshot(
                id: "\(Self.masterID)-S\(index)", hostname: "mesos-agent-\(CoreFleet.pad(index, 4)).us-east-1.prod.example.com",
                attributes: ["zone": "z\(index % 2 + 1)", "rack": "r\(index % 20 + 1)", "instanceType": big ? "m5.8xlarge" : "m5.4xlarge"],
                total: total, available: total, ports: [PortRange(31000, 32000)], offerIDs: [], runsTasks: true)
            agents.append(agent)
            cluster.agents[agent.id] = agent
        }
        let revision = Self.hex(&random, count: 40)
        var services: [String: Service] = [:]
        services.reserveCapacity(workloads.count)
        var agentCursor = 0
        var taskExtras: [String: TaskExtras] = [:]
        taskExtras.reserveCapacity(workloads.count * 3)
        for (serviceIndex, name) in workloads.keys.sorted().enumerated() {
            let workload = workloads[name]!
            let midDeploy = serviceIndex % 20 == 7
            let previous = midDeploy ? Self.previousTemplate(of: workload) : nil
            let runningDeploy = previous?.deployId ?? workload.deployId
            let started = now.addingTimeInterval(-Double(3600 + serviceIndex % 86_400))
            for instance in 0..<workload.spec.instances {
                let agent = agents[agentCursor % agents.count]
                agentCursor += 7
                let launched = started.addingTimeInterval(Double(instance))
                let ports = (0..<workload.spec.resources.ports).map { _ in 31000 + Int(random.next() % 1000) }
                // The core's task id form: <service>.<deploy>.<instance>.<10 random hex digits>.
                let taskID = "\(name).\(runningDeploy).\(instance).\(Self.hex(&random, count: 10))"
                taskExtras[taskID] = TaskExtras(kind: workload.kind)
                cluster.upsert(TaskRecord(
                    taskID: taskID, slot: SlotID(service: name, instance: instance), deployID: runningDeploy,
                    agentID: agent.id, hostname: agent.hostname, ports: ports, state: .running,
                    healthReported: workload.spec.healthCheck != nil ? true : nil, hasHealthCheck: workload.spec.healthCheck != nil,
                    launchedAt: launched, runningSince: launched.addingTimeInterval(2), healthySince: launched.addingTimeInterval(7),
                    lastMessage: serviceIndex % 10 == 0 ? "Task is healthy (HTTP 200 from /health)" : nil))
            }
            let settings = workload.spec.deploy
            let desired = DeploySpec(deployID: workload.deployId, instances: workload.spec.instances, stepSize: settings.stepSize,
                                     stepWaitSeconds: Double(settings.stepWaitSeconds),
                                     healthyDeadlineSeconds: Double(settings.healthyDeadlineSeconds),
                                     startedAt: midDeploy ? now.addingTimeInterval(-5) : started, isComplete: !midDeploy)
            var deploys: [DeployHistoryEntry] = []
            deploys.append(DeployHistoryEntry(service: name, deployID: workload.deployId, revision: revision,
                                              startedAt: desired.startedAt, endedAt: midDeploy ? nil : started.addingTimeInterval(30),
                                              outcome: midDeploy ? .inProgress : .succeeded))
            for older in 1..<max(1, deploysKept) {
                let failed = older % 4 == 2
                deploys.append(DeployHistoryEntry(
                    service: name, deployID: older == 1 && midDeploy ? runningDeploy : Self.hex(&random, count: 12),
                    revision: Self.hex(&random, count: 40), startedAt: started.addingTimeInterval(-Double(older) * 86_400),
                    endedAt: started.addingTimeInterval(-Double(older) * 86_400 + 45), outcome: failed ? .failed : .succeeded,
                    reason: failed ? "deploy not healthy after \(settings.healthyDeadlineSeconds)s: 1 of \(workload.spec.instances) instances healthy" : nil))
            }
            var overrides: [Override] = []
            if serviceIndex % 100 == 3 {
                overrides.append(Override(service: name, kind: .scale, value: workload.spec.instances, reason: "incident INC-\(serviceIndex): hold capacity",
                                          createdAt: now, expiresAt: now.addingTimeInterval(7200)))
            }
            let gate: LaunchGate = serviceIndex % 200 == 11 ? .backoff(until: now.addingTimeInterval(30), consecutiveFailures: 2) : .open
            var templates = [workload.deployId: workload]
            if let previous { templates[previous.deployId] = previous }
            services[name] = Service(workload: workload, templates: templates, desired: desired,
                                     status: midDeploy ? .inProgress(healthy: 0, desired: workload.spec.instances) : .succeeded,
                                     deploys: deploys, launchGate: gate, overrides: overrides, pendingReason: nil)
        }
        return CoreStateModel(revision: revision, cluster: cluster, taskExtras: taskExtras, services: services,
                              decommissioningAgents: [agents[agentCount / 2].id])
    }

    /// A value copy as the core's `snapshot()` hands out.
    func snapshot(now: Date) -> CoreSnapshot {
        var serviceSnapshots: [String: ServiceSnapshot] = [:]
        serviceSnapshots.reserveCapacity(services.count)
        var taskCounts: [String: Int] = [:]
        for task in cluster.tasks.values where task.isActive { taskCounts[task.agentID, default: 0] += 1 }
        for (name, service) in services {
            serviceSnapshots[name] = ServiceSnapshot(
                workload: service.workload, effectiveInstances: service.overrides.first { $0.kind == .scale }?.value ?? service.desired.instances,
                tasks: cluster.tasks(of: name), currentDeployID: service.desired.deployID, deployStatus: service.status,
                deploys: service.deploys, launchGate: service.launchGate, overrides: service.overrides,
                pendingReason: service.pendingReason)
        }
        var agentStatuses: [String: AgentStatus] = [:]
        agentStatuses.reserveCapacity(cluster.agents.count)
        for agent in cluster.agents.values {
            agentStatuses[agent.id] = AgentStatus(id: agent.id, hostname: agent.hostname, attributes: agent.attributes,
                                                  state: decommissioningAgents.contains(agent.id) ? .decommissioning : agent.state,
                                                  taskCount: taskCounts[agent.id, default: 0])
        }
        return CoreSnapshot(frameworkID: "\(Self.masterID)-0000", connection: .subscribed, reconciled: true, revision: revision,
                            services: serviceSnapshots, agents: agentStatuses, takenAt: now)
    }

    /// One tick: `DeployStepper.step` for every service over its tasks (gathered from the state, as the core must).
    func tick(now: Date) -> (launches: Int, kills: Int, succeeded: Int) {
        var launches = 0, kills = 0, succeeded = 0
        for (name, service) in services {
            let step = DeployStepper.step(DeployStepper.Input(
                service: name, desired: service.desired, tasks: cluster.tasks(of: name),
                decommissioningAgents: decommissioningAgents, launchBlockedUntil: service.launchGate.blockedUntil, now: now))
            launches += step.launches.count
            kills += step.kills.count
            if step.status == .succeeded { succeeded += 1 }
        }
        return (launches, kills, succeeded)
    }

    /// The inputs of one decommission pass: every agent, every task, the current deploys; rack r7 under maintenance.
    func decommissionInput(maxConcurrent: Int) -> DecommissionPlanner.Input {
        let agents = cluster.agents.values.map { agent in
            AgentRecord(id: agent.id, hostname: agent.hostname, attributes: agent.attributes,
                        state: decommissioningAgents.contains(agent.id) ? .decommissioning : .active)
        }
        return DecommissionPlanner.Input(
            agents: agents, selectors: [DecommissionSelector(attributes: ["rack": "r7"]), DecommissionSelector(hostname: agents[0].hostname)],
            tasks: Array(cluster.tasks.values), currentDeploys: services.mapValues(\.desired.deployID), maxConcurrent: maxConcurrent)
    }

    /// The workload as it was one deploy earlier (another env value: another template), a distinct value.
    static func previousTemplate(of workload: Workload) -> Workload {
        var spec = workload.spec
        spec.env["LOG_LEVEL"] = "trace"
        return Workload(kind: workload.kind, metadata: workload.metadata, spec: spec, source: workload.source)
    }

    static let masterID = "6f1c2a4e-93b0-4d8e-a1f7-3c5b9e2d8a41"

    static func hex(_ random: inout SeededGenerator, count: Int) -> String {
        let digits = Array("0123456789abcdef")
        return String((0..<count).map { _ in digits[Int(random.next() % 16)] })
    }
}
