/// Placing one group: tasks of one deploy with one requirement.
extension PlacementRound {
    /// What every task of a group shares, fixed for the group.
    struct GroupContext {
        var checks: [FeasibilityCheck]
        var need: ResourceAmounts
        var portCount: Int
        var spread: Int
        var rackCap: Int32
        var greedy: Bool
        var balanced: Bool
        var rackSensitive: Bool
        var desired: Double
    }

    /// The group's candidates with their current scores; `-infinity` marks one dropped for good.
    struct GroupState {
        var candidates: [Int32]
        var scores: [Double]
        var ties: [UInt64]
        var rejections: [Int]
    }

    mutating func placeGroup(_ members: [Int], of pending: [PendingTask], placed: inout [Placement?], unplaced: inout [PendingExplanation?]) {
        let first = pending[members[0]]
        let requirement = first.requirement
        let outcome = staticOutcome(for: requirement)
        let context = GroupContext(
            checks: chain.dynamicChecks.filter { $0.applies(to: requirement) }, need: requirement.resources,
            portCount: requirement.portCount, spread: spreadCounts(service: first.slot.service, deployID: first.deployID),
            rackCap: Int32((first.desiredInstances + rackCount - 1) / rackCount),
            greedy: requirement.constraints.spread == .greedy, balanced: requirement.constraints.spread == .balanced,
            rackSensitive: requirement.constraints.rackSensitive,
            desired: Double(max(1, first.desiredInstances))
        )
        let seed = shuffleTies ? StableHash.fnv1a(first.deployID) : 0
        let count = outcome.candidates.count
        var state = GroupState(
            candidates: outcome.candidates, scores: [Double](repeating: 0, count: count),
            ties: shuffleTies ? outcome.candidates.map { Self.mix(agentTies[Int($0)] ^ seed) } : outcome.candidates.map { UInt64($0) },
            rejections: [Int](repeating: 0, count: FeasibilityCheck.allCases.count)
        )
        for position in 0..<count { evaluate(position, &state, context) }

        var argmax = BlockArgmax(scores: state.scores, ties: state.ties)

        for member in members {
            let best = argmax.best(scores: state.scores, ties: state.ties)
            guard best >= 0 else {
                var rejections = outcome.rejections
                for check in FeasibilityCheck.allCases where state.rejections[check.ordinal] > 0 {
                    rejections[Rejection(check.reason), default: 0] += state.rejections[check.ordinal]
                }
                unplaced[member] = PendingExplanation(agentsConsidered: agents.count, rejections: rejections)
                continue
            }
            let agent = Int(state.candidates[best])
            placed[member] = commit(pending[member], on: agent, spread: context.spread, rackCap: context.rackCap)
            // Only the chosen agent, agents on its host (spread) and on its rack (rack share) changed.
            evaluate(best, &state, context)
            argmax.invalidate(best)
            let host = table.host[agent]
            if table.snapshotsPerHost[Int(host)] > 1 {
                for position in 0..<count where position != best && state.scores[position] > -Double.infinity
                    && table.host[Int(state.candidates[position])] == host {
                    evaluate(position, &state, context)
                    argmax.invalidate(position)
                }
            }
            if context.rackSensitive || (context.balanced && table.rack[agent] >= 0) {
                let rack = table.rack[agent]
                for position in 0..<count where position != best && state.scores[position] > -Double.infinity
                    && table.rack[Int(state.candidates[position])] == rack {
                    evaluate(position, &state, context)
                    argmax.invalidate(position)
                }
            }
        }
    }

    /// The SplitMix64 finalizer: a cheap bijection that scatters every input bit over the output.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Runs the dynamic checks for one candidate: scores it, or drops it and counts the reason.
    @inline(__always)
    func evaluate(_ position: Int, _ state: inout GroupState, _ context: GroupContext) {
        let agent = Int(state.candidates[position])
        if let failed = firstFailure(agent, context) {
            state.rejections[failed] += 1
            state.scores[position] = -Double.infinity
            return
        }
        var score = binPackWeight * binPack(agent, context.need)
        if table.inUse[agent] { score += inUseWeight }
        if context.greedy {
            score -= antiAffinityWeight * Double(hostCounts[context.spread * hostStride + Int(table.host[agent])]) / context.desired
        }
        if context.balanced {
            score -= instanceSpreadWeight * instanceSpread(agent, spread: context.spread)
        }
        if context.rackSensitive {
            score += rackSpreadWeight * (1 - Double(rackCounts[context.spread * rackStride + Int(table.rack[agent])]) / Double(context.rackCap))
        }
        state.scores[position] = score
    }

    /// The index of the first dynamic check the agent fails, or nil.
    @inline(__always)
    func firstFailure(_ agent: Int, _ context: GroupContext) -> Int? {
        let eps = ResourceAmounts.epsilon
        for check in context.checks {
            let ok: Bool
            switch check {
            case .cpus: ok = table.availCpus[agent] + eps >= context.need.cpus
            case .mem: ok = table.availMem[agent] + eps >= context.need.memMb
            case .disk: ok = table.availDisk[agent] + eps >= context.need.diskMb
            case .ports: ok = table.freePorts[agent] >= context.portCount
            case .separateHosts: ok = hostCounts[context.spread * hostStride + Int(table.host[agent])] == 0
            case .spreadAllAgents: ok = agentCounts[context.spread * agentStride + Int(table.agentKey[agent])] == 0
            case .rackBalance: ok = rackCounts[context.spread * rackStride + Int(table.rack[agent])] < context.rackCap
            case .agentState, .role, .requiredAttributes, .allowedAttributes, .rackAttribute: ok = true
            }
            if !ok { return check.ordinal }
        }
        return nil
    }

    /// The deploy's instances on the agent's host times `hostOverRack`, plus those on its rack.
    @inline(__always)
    func instanceSpread(_ agent: Int, spread: Int) -> Double {
        let onHost = Double(hostCounts[spread * hostStride + Int(table.host[agent])])
        let rack = table.rack[agent]
        let onRack = rack >= 0 ? Double(rackCounts[spread * rackStride + Int(rack)]) : 0
        return onHost * hostOverRack + onRack
    }

    @inline(__always)
    func binPack(_ agent: Int, _ need: ResourceAmounts) -> Double {
        let cpuTotal = table.totalCpus[agent]
        let memTotal = table.totalMem[agent]
        let cpu = cpuTotal > 0 ? (cpuTotal - table.availCpus[agent] + need.cpus) / cpuTotal : 1
        let mem = memTotal > 0 ? (memTotal - table.availMem[agent] + need.memMb) / memTotal : 1
        return (cpu + mem) / 2
    }

    /// Takes the task's resources and ports from the agent and records the placement.
    mutating func commit(_ task: PendingTask, on agent: Int, spread: Int, rackCap: Int32) -> Placement {
        let need = task.requirement.resources
        let components = scoreComponents(agent, task: task, spread: spread, rackCap: rackCap)
        table.availCpus[agent] -= need.cpus
        table.availMem[agent] -= need.memMb
        table.availDisk[agent] -= need.diskMb
        let ports = table.ports[agent].takeLowest(task.requirement.portCount) ?? []
        table.freePorts[agent] -= ports.count
        table.inUse[agent] = true
        hostCounts[spread * hostStride + Int(table.host[agent])] += 1
        agentCounts[spread * agentStride + Int(table.agentKey[agent])] += 1
        if table.rack[agent] >= 0 { rackCounts[spread * rackStride + Int(table.rack[agent])] += 1 }
        let snapshot = agents[agent]
        return Placement(
            slot: task.slot, deployID: task.deployID, agentID: snapshot.id, hostname: snapshot.hostname, role: snapshot.role,
            offerIDs: snapshot.offerIDs, resources: need, ports: ports,
            score: components.reduce(0) { $0 + $1.weighted }, scores: components
        )
    }

    /// The rankers' scores for one agent, named, for the record (the hot loop computes the same sum inline).
    func scoreComponents(_ agent: Int, task: PendingTask, spread: Int, rackCap: Int32) -> [ScoreComponent] {
        let constraints = task.requirement.constraints
        var components: [ScoreComponent] = []
        for (ranker, weight) in chain.rankers {
            switch ranker {
            case .binPack:
                components.append(ScoreComponent(ranker: ranker, score: binPack(agent, task.requirement.resources), weight: weight))
            case .agentInUse:
                components.append(ScoreComponent(ranker: ranker, score: table.inUse[agent] ? 1 : 0, weight: weight))
            case .serviceAntiAffinity where constraints.spread == .greedy:
                let onHost = Double(hostCounts[spread * hostStride + Int(table.host[agent])])
                components.append(ScoreComponent(ranker: ranker, score: -onHost / Double(max(1, task.desiredInstances)), weight: weight))
            case .instanceSpread where constraints.spread == .balanced:
                components.append(ScoreComponent(ranker: ranker, score: -instanceSpread(agent, spread: spread), weight: weight))
            case .rackSpread where constraints.rackSensitive:
                let onRack = Double(rackCounts[spread * rackStride + Int(table.rack[agent])])
                components.append(ScoreComponent(ranker: ranker, score: 1 - onRack / Double(rackCap), weight: weight))
            case .serviceAntiAffinity, .instanceSpread, .rackSpread:
                break
            }
        }
        return components
    }
}
