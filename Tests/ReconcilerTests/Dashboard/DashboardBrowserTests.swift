import DevCluster
import Foundation
import Logging
import Mesos
import Reconciler
import Testing

/// The dashboard in headless Chromium (Selenium, tests/dashboard/check_dashboard.py) against a real
/// controller and API server on a dev cluster with real processes and a real git repository.
@Suite("Dashboard in a browser", .serialized)
struct DashboardBrowserTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    @Test("pages load without console errors, show the API, follow a commit and a log, refuse a forged action")
    func dashboardInChromium() async throws {
        let site = Self.packageRoot + "/.python-deps/site"
        try #require(FileManager.default.fileExists(atPath: site + "/selenium"), "selenium is not installed: run scripts/python-deps")
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver"), "chromium-driver is not installed: run scripts/setup")

        let harness = try await ControllerHarness.start(agents: 2, portBase: 49900)
        let repo = harness.repository
        try repo.write("web.yaml", httpServiceManifest("web", instances: 2))
        try repo.write("talker.yaml", """
            apiVersion: converge/v1
            kind: Worker
            metadata: {name: talker, owners: [team-logs], labels: {tier: backend}}
            spec:
              instances: 1
              command: 'i=0; while true; do echo "tick $i"; i=$((i+1)); sleep 0.3; done'
              resources: {cpus: 0.1, memoryMb: 32}
              deploy: {killGraceSeconds: 1}
            """)
        try repo.commit("create")
        let controller = try harness.controller(pollInterval: 1)
        let running = Task { await controller.run() }
        let secrets = try SecretsFolder()
        let files = AgentFilesClient(configuration: try MesosClientConfiguration(masters: [harness.cluster.masterURL]))
        var logger = Logger(label: "dashboard-test")
        logger.logLevel = .error
        let server = try await APIServer(handle: controller, configuration: APIConfiguration(
            listen: ListenAddress(host: "127.0.0.1", port: 0), tokenFile: secrets.tokenFile), logger: logger,
            logs: LogAccess(files: files)).start()

        #expect(await eventually(timeout: 90) { await controller.converged() }, "not converged")
        let shots = FileManager.default.temporaryDirectory.appendingPathComponent("dashboard-shots-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: shots, withIntermediateDirectories: true)
        let result = try await Python.run(script: Self.packageRoot + "/tests/dashboard/check_dashboard.py",
                                          arguments: [server.baseURL, repo.path, shots.path], site: site, deadline: 240)
        #expect(result.status == 0, "dashboard checks failed:\n\(result.output.suffix(4000))")
        #expect(result.output.contains("\"consoleErrors\": 0"))
        for page in ["services", "service", "controller"] {
            #expect(FileManager.default.fileExists(atPath: shots.appendingPathComponent("dashboard-\(page).png").path))
        }
        // CONVERGE_SCREENSHOTS=docs keeps them (docs/dashboard-*.png).
        if let keep = ProcessInfo.processInfo.environment["CONVERGE_SCREENSHOTS"] {
            for page in ["services", "service", "controller"] {
                let target = URL(fileURLWithPath: keep).appendingPathComponent("dashboard-\(page).png")
                try? FileManager.default.removeItem(at: target)
                try FileManager.default.copyItem(at: shots.appendingPathComponent("dashboard-\(page).png"), to: target)
            }
        }
        try? FileManager.default.removeItem(at: shots)

        await server.stop()
        running.cancel()
        await running.value
        await controller.shutdown()
        await harness.stop()
    }

    @Test("the page, stylesheet and script are served from the binary with ETags; the API answers 304 when unchanged")
    func assetsAndETags() async throws {
        try await withAPIServer(RecordingHandle(APIFixtures.state())) { server, _ in
            let page = try await TestHTTP.get(server.baseURL + "/")
            #expect(page.status == 200 && page.text.contains("<script src=\"/dashboard.js\"></script>"))
            for asset in ["/dashboard.js", "/dashboard.css", "/index.html"] {
                #expect(try await TestHTTP.get(server.baseURL + asset).status == 200, "\(asset)")
            }
            #expect(try await TestHTTP.get(server.baseURL + "/nope.js").status == 404)
            let list = try await TestHTTP.get(server.baseURL + "/api/v1/services")
            let tag = try #require(list.header("ETag"))
            let again = try await TestHTTP.send("GET", server.baseURL + "/api/v1/services", headers: ["If-None-Match": tag])
            #expect(again.status == 304 && again.text.isEmpty)
            let stale = try await TestHTTP.send("GET", server.baseURL + "/api/v1/services", headers: ["If-None-Match": "\"old\""])
            #expect(stale.status == 200 && stale.text == list.text)
        }
    }
}

/// Runs a Python script with .python-deps/site on the path, killing it at the deadline.
enum Python {
    struct Result {
        var status: Int32
        var output: String
    }

    static func run(script: String, arguments: [String], site: String, deadline: TimeInterval) async throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONPATH"] = site
        environment["PYTHONUNBUFFERED"] = "1"
        process.environment = environment
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("python-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let end = Date().addingTimeInterval(deadline)
        while process.isRunning && Date() < end { try await Task.sleep(for: .milliseconds(100)) }
        if process.isRunning {
            process.terminate()
            try await Task.sleep(for: .seconds(2))
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
        try? handle.close()
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(at: log)
        return Result(status: process.terminationStatus, output: output)
    }
}
