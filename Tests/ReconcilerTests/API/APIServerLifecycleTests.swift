import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing
@testable import Reconciler

@Suite struct APIServerLifecycleTests {
    /// How `converge run` hosts the API: a service of a ServiceGroup, ended by graceful shutdown.
    @Test func runsInAServiceGroupUntilGracefulShutdown() async throws {
        var logger = Logger(label: "lifecycle-test")
        logger.logLevel = .error
        let handle = RecordingHandle(APIFixtures.state())
        // A port that was free a moment ago.
        let probe = try await APIServer(handle: handle, configuration: APIConfiguration(listen: ListenAddress(host: "127.0.0.1", port: 0)),
                                        logger: logger).start()
        let port = probe.port
        await probe.stop()

        let server = APIServer(handle: handle, configuration: APIConfiguration(listen: ListenAddress(host: "127.0.0.1", port: port)),
                               logger: logger)
        let group = ServiceGroup(configuration: .init(services: [server], logger: logger))
        let done = Mutex(false)
        let running = Task {
            defer { done.withLock { $0 = true } }
            try await group.run()
        }
        let up = await eventually {
            (try? await TestHTTP.get("http://127.0.0.1:\(port)/healthz"))?.status == 200
        }
        #expect(up)
        await group.triggerGracefulShutdown()
        let finished = await eventually(timeout: 30) { done.withLock { $0 } }
        #expect(finished, "graceful shutdown did not end the server")
        if !finished { running.cancel() }
        try await running.value
        #expect((try? await TestHTTP.get("http://127.0.0.1:\(port)/healthz")) == nil)
    }
}
