/// Runs webhook-triggered syncs one at a time in the background: a delivery during a sync asks for one
/// more sync after it, and any number of deliveries meanwhile fold into that one.
actor SyncCoalescer {
    private let handle: any ControllerHandle
    private var running = false
    private var again = false
    private var worker: Task<Void, Never>?

    init(handle: any ControllerHandle) {
        self.handle = handle
    }

    /// Asks for a sync; returns at once.
    func request(trigger: SyncRecord.Trigger) {
        if running {
            again = true
            return
        }
        running = true
        worker = Task { await self.loop(trigger: trigger) }
    }

    private func loop(trigger: SyncRecord.Trigger) async {
        repeat {
            again = false
            _ = await handle.sync(trigger: trigger)
        } while again && !Task.isCancelled
        running = false
    }

    /// Waits for the background sync, if any (tests, shutdown).
    func settle() async {
        while let worker {
            await worker.value
            if !running { self.worker = nil }
        }
    }

    func cancel() {
        worker?.cancel()
    }
}
