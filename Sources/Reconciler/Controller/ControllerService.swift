import ServiceLifecycle

/// Runs a controller inside a `ServiceGroup`: on graceful shutdown (SIGTERM, SIGINT) the loop stops, the
/// core closes its subscription (tasks keep running) and the records are saved.
public struct ControllerService: Service {
    public let controller: Controller

    public init(controller: Controller) {
        self.controller = controller
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            await controller.run()
        }
        await controller.shutdown()
    }
}
