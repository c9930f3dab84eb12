import Foundation
import Testing
@testable import Mesos

@Suite("Operator client against a scripted master")
struct OperatorClientTests {
    static let stateJSON = """
    {"version":"1.11.0","id":"M","hostname":"localhost","leader":"master@127.0.0.1:5050",
     "slaves":[{"id":"S0","pid":"slave(1)@127.0.0.2:5051","hostname":"127.0.0.2","port":5051,
       "resources":{"cpus":2,"mem":1024,"disk":100,"ports":"[31000-31099]"},"attributes":{"rack":"r1"}}],
     "frameworks":[{"id":"F-1","name":"converge","tasks":[{"id":"web.1","name":"web","framework_id":"F-1",
       "slave_id":"S0","state":"TASK_RUNNING","statuses":[{"state":"TASK_RUNNING","timestamp":1.0}],
       "labels":[{"key":"converge.app","value":"web"}]}]}]}
    """

    @Test func readsStateHealthVersionAndFiles() async throws {
        let server = try ScriptedHTTPServer { request, connection in
            switch request.path {
            case "/master/state": connection.respond(200, "OK", body: Self.stateJSON)
            case "/master/health": connection.respond(200, "OK")
            case "/version": connection.respond(200, "OK", body: #"{"version":"1.11.0","git_sha":"abc"}"#)
            case let path where path.hasPrefix("/files/read"):
                connection.respond(200, "OK", body: #"{"offset":5,"data":"hello\nworld"}"#)
            case "/api/v1":
                connection.respond(202, "Accepted")
            default:
                connection.respond(404, "Not Found", body: "No such endpoint")
            }
        }
        defer { server.stop() }
        let client = OperatorClient(configuration: try testConfiguration([server.baseURL]))
        let state = try await client.state()
        #expect(state.slaves.first?.resources?.ports == [31000...31099])
        #expect(state.slaves.first?.endpoint() == MasterEndpoint("http://127.0.0.2:5051"))
        #expect(state.framework("F-1")?.tasks.first?.label("converge.app") == "web")
        #expect(await client.isHealthy())
        #expect(try await client.version().gitSHA == "abc")

        let path = OperatorClient.sandboxPath(frameworkID: "F-1", executorID: "web 1&x", file: "stdout")
        #expect(path == "/frameworks/F-1/executors/web 1&x/runs/latest/stdout")
        let agent = try #require(MasterEndpoint(server.baseURL))
        let files = AgentFilesClient(configuration: try testConfiguration([server.baseURL]))
        let chunk = try await files.read(agent: agent, path: path, offset: 5, length: 100)
        #expect(chunk == FileBytes(offset: 5, data: Array("hello\nworld".utf8)))
        let read = try #require(server.requests(path: "/files/read").first)
        #expect(read.path == "/files/read?path=/frameworks/F-1/executors/web%201%26x/runs/latest/stdout&offset=5&length=100")
        #expect(try await files.size(agent: agent, path: "/x") == 5)
        #expect(server.requests(path: "/files/read").last?.path == "/files/read?path=/x&offset=-1")
        let location = try await files.locate(frameworkID: "F-1", taskID: "web.1")
        #expect(location == SandboxLocation(agentID: "S0", agent: MasterEndpoint("http://127.0.0.2:5051")!,
                                            directory: "/frameworks/F-1/executors/web.1/runs/latest"))
        #expect(try await files.locate(frameworkID: "F-1", taskID: "nope") == nil)

        try await client.send(.drainAgent("S0", maxGracePeriodSeconds: 10))
        let drain = try #require(server.requests(path: "/api/v1").first)
        #expect(try MesosJSON.decode(OperatorCall.self, from: drain.body) == .drainAgent("S0", maxGracePeriodSeconds: 10))
        #expect(drain.header("Content-Type") == "application/json")
    }

    @Test func unhealthyAndMissingEndpoints() async throws {
        let server = try ScriptedHTTPServer { _, connection in
            connection.respond(404, "Not Found", body: "No such endpoint")
        }
        defer { server.stop() }
        let client = OperatorClient(configuration: try testConfiguration([server.baseURL]))
        #expect(await client.isHealthy() == false)
        await #expect(throws: MesosError.notFound(message: "No such endpoint", url: server.baseURL + "/version")) {
            try await client.version()
        }
    }

    @Test func undecodableStateIsADecodingError() async throws {
        let server = try ScriptedHTTPServer { _, connection in connection.respond(200, "OK", body: "<html>") }
        defer { server.stop() }
        let client = OperatorClient(configuration: try testConfiguration([server.baseURL]))
        await #expect {
            try await client.state()
        } throws: { error in
            if case .decoding = error as? MesosError { return true }
            return false
        }
    }

    @Test func masterEndpointParsingAndRedirectResolution() throws {
        let endpoint = try #require(MasterEndpoint("https://m1:5050/"))
        #expect(endpoint.description == "https://m1:5050")
        #expect(endpoint.resolvingRedirect("//m2:5050/api/v1/scheduler") == MasterEndpoint("https://m2:5050"))
        #expect(endpoint.resolvingRedirect("http://m3:5050/master/redirect") == MasterEndpoint("http://m3:5050"))
        #expect(MasterEndpoint("10.0.0.1:5050") == MasterEndpoint(scheme: "http", authority: "10.0.0.1:5050"))
        #expect(MasterEndpoint("ftp://x") == nil)
        #expect(MasterEndpoint("") == nil)
        #expect(throws: MesosClientConfigurationError.invalidMaster("ftp://x")) {
            try MesosClientConfiguration(masters: ["ftp://x"])
        }
    }

    @Test func backoffGrowsAndIsCapped() {
        let backoff = Backoff(initial: .milliseconds(100), maximum: .seconds(1), multiplier: 2, jitter: 0.5)
        for attempt in 0..<20 {
            let delay = backoff.delay(attempt: attempt).seconds
            let ceiling = min(0.1 * Double(1 << min(attempt, 30)), 1.0)
            #expect(delay <= ceiling + 1e-9 && delay >= ceiling * 0.5 - 1e-9, "attempt \(attempt): \(delay)")
        }
    }
}
