import Foundation
import Manifests
import Scheduler

extension Controller {
    /// Reads the source and hands its revision to the scheduler core, unless it is invalid, unreadable
    /// or refused by prune safety. Returns the sync's record once the desired set is handed over.
    public func sync(trigger: SyncRecord.Trigger) async -> SyncRecord {
        let started = Date()
        nextPollAt = started.addingTimeInterval(configuration.pollIntervalSeconds)
        let reader = self.reader
        if trigger == .poll, coreStarted, let applied, let last = records.history.first, last.revision == applied.revision,
           reader.peekRevision() == applied.revision {
            return last  // a local repository whose ref did not move: nothing to read
        }
        let read: SourceRead
        do {
            read = try await Task.detached { try reader.read() }.value
        } catch {
            fetchErrors += 1
            return record(SyncRecord(id: 0, revision: nil, trigger: trigger, startedAt: started, outcome: .failed,
                                     message: "source unreadable, nothing changed: \(error)", errors: ["\(error)"]),
                          started: started, quiet: isRepeat(.failed, revision: nil, trigger: trigger))
        }
        latestRevision = read.revision
        guard read.loaded.isValid, let manifests = read.loaded.manifests, let view = read.loaded.view else {
            let problems = read.loaded.problems.map(String.init(describing:))
            let kept = applied?.revision.map { "; \(short($0)) stays in force" } ?? ""
            let message = "revision \(short(read.revision)) rejected: \(problems.count) invalid manifest"
                + (problems.count == 1 ? "" : "s") + kept + (problems.first.map { ": \($0)" } ?? "")
            return record(SyncRecord(id: 0, revision: read.revision, trigger: trigger, startedAt: started, outcome: .rejected,
                                     message: message, errors: Array(problems.prefix(200))),
                          started: started, quiet: isRepeat(.rejected, revision: read.revision, trigger: trigger))
        }
        if read.revision == applied?.revision, coreStarted, trigger == .poll || trigger == .watch {
            return records.history.first ?? SyncRecord(id: 0, revision: read.revision, trigger: trigger, startedAt: started,
                                                      outcome: .synced, message: "unchanged")
        }

        var desired = DesiredState(revision: read.revision, manifests: manifests)
        if !coreStarted {
            // Plan against what really runs: the core adopts the framework's tasks from the master first
            // (it kills nothing before it is handed a desired set).
            await core.start()
            coreStarted = true
            await waitForReconciliation(seconds: configuration.reconcileWaitSeconds)
        }
        let snapshot = await core.snapshot()
        let actual = ClusterView(actual: snapshot, maintenance: applied?.decommission ?? [], hints: manifests.workloads)
        let plan = Planner.plan(desired: view, actual: actual)
        // A restarted controller's core may not know every service yet: count what the last good revision ran.
        let runningNames = Set(snapshot.services.keys).union(records.appliedServices)
            .union(snapshot.unclaimedTasks.filter(\.isActive).map(\.slot.service))
        let deletes = runningNames.subtracting(desired.workloads.keys).sorted()
        switch pruneGuard.decide(deletes: deletes, running: runningNames.count) {
        case .refuse(let reason):
            return record(SyncRecord(id: 0, revision: read.revision, trigger: trigger, startedAt: started, outcome: .refused,
                                     message: "revision \(short(read.revision)) not applied: \(reason)", summary: plan.summary),
                          started: started, quiet: isRepeat(.refused, revision: read.revision, trigger: trigger))
        case .proceed(let keep):
            for name in keep {
                if let workload = snapshot.services[name]?.workload ?? applied?.workloads[name] { desired.workloads[name] = workload }
            }
        }

        await core.apply(desired)
        applied = desired
        records.appliedRevision = desired.revision
        records.appliedServices = desired.workloads.keys.sorted()
        let kept = desired.workloads.count - manifests.workloads.count
        var message = plan.isEmpty ? "in sync" : Self.describe(plan.summary)
        if kept > 0 { message += "; \(kept) deleted service\(kept == 1 ? "" : "s") kept running (pruning off)" }
        let converged = Convergence(desired: desired, snapshot: await core.snapshot()).converged
        return record(SyncRecord(id: 0, revision: read.revision, trigger: trigger, startedAt: started,
                                 finishedAt: converged ? Date() : nil, outcome: converged ? .synced : .progressing,
                                 message: message, summary: plan.summary),
                      started: started, quiet: false)
    }

    /// Waits until the core has reconciled with the master, or the deadline passes (then the plan may
    /// show running services as creates; the core itself still adopts them).
    func waitForReconciliation(seconds: Double) async {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline, !Task.isCancelled {
            if await core.snapshot().reconciled { return }
            try? await Task.sleep(for: .milliseconds(100))
        }
        logger.warning("the scheduler did not reconcile with the master within \(Int(seconds))s; planning against what it knows")
    }

    /// Where the applied revision stands on the cluster; nil before a first good revision.
    public func convergence() async -> Convergence? {
        guard let applied else { return nil }
        return Convergence(desired: applied, snapshot: await core.snapshot())
    }

    /// Follows convergence of the latest applied sync: progressing turns synced, or degraded with the reason.
    public func observe() async {
        guard let applied, coreStarted, let last = records.history.first, last.outcome == .progressing || last.outcome == .degraded,
              last.revision == applied.revision else { return }
        let convergence = Convergence(desired: applied, snapshot: await core.snapshot())
        var updated = last
        if convergence.converged {
            updated.outcome = .synced
            updated.finishedAt = Date()
        } else if let failure = convergence.failures.first {
            updated.outcome = .degraded
            updated.message = "\(failure.name): \(failure.reason)"
        } else {
            return
        }
        guard updated != last else { return }
        records.history[0] = updated
        logger.info("sync \(updated.id) \(updated.outcome.rawValue): \(updated.message)")
        saveRecords()
    }

    /// On start: the last good revision from the state directory comes back into force before the first
    /// sync, so that a source that is unreadable or invalid now does not leave the core without a desired set.
    func restoreLastGood() async {
        guard applied == nil, let revision = records.appliedRevision, case .git = configuration.source else { return }
        let reader = self.reader
        guard let read = try? await Task.detached(operation: { try reader.read(revision: revision) }).value,
              let manifests = read.loaded.manifests else {
            logger.warning("last good revision \(short(revision)) could not be read again")
            return
        }
        applied = DesiredState(revision: revision, manifests: manifests)
    }

    /// The same outcome for the same revision again from a poll: not worth a new history entry.
    func isRepeat(_ outcome: SyncRecord.Outcome, revision: String?, trigger: SyncRecord.Trigger) -> Bool {
        guard trigger == .poll || trigger == .watch, let last = records.history.first else { return false }
        return last.outcome == outcome && last.revision == revision
    }

    func record(_ draft: SyncRecord, started: Date, quiet: Bool) -> SyncRecord {
        if quiet, let last = records.history.first { return last }
        var entry = draft
        entry.id = (records.history.first?.id ?? 0) + 1
        records.history.insert(entry, at: 0)
        if records.history.count > configuration.historyLimit { records.history.removeLast(records.history.count - configuration.historyLimit) }
        switch entry.outcome {
        case .failed, .rejected, .refused, .degraded: logger.error("sync \(entry.id) \(entry.outcome.rawValue): \(entry.message)")
        case .synced, .progressing: logger.info("sync \(entry.id) \(entry.outcome.rawValue): \(entry.message)")
        }
        saveRecords()
        onSync?(entry, Date().timeIntervalSince(started))
        return entry
    }

    func saveRecords() {
        guard let directory = configuration.stateDirectory else { return }
        do {
            try records.save(to: directory)
        } catch {
            logger.error("could not save controller state: \(error)")
        }
    }

    static func describe(_ summary: Plan.Summary) -> String {
        var parts: [String] = []
        for (count, word) in [(summary.create, "to create"), (summary.deploy, "to deploy"), (summary.scale, "to scale"),
                              (summary.update, "to update"), (summary.delete, "to delete"),
                              (summary.decommission, "agent selectors to decommission"), (summary.recommission, "to bring back")]
        where count > 0 {
            parts.append("\(count) \(word)")
        }
        return parts.joined(separator: ", ")
    }
}

func short(_ revision: String) -> String {
    revision.hasPrefix("tree-") ? revision : String(revision.prefix(12))
}
