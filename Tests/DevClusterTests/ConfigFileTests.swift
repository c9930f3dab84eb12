import Foundation
import Testing
@testable import DevCluster

@Suite struct ConfigFileTests {
    func write(_ text: String, ext: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dc-config-\(UUID().uuidString.prefix(8)).\(ext)").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func yamlAndJSONGiveTheSameAgents() throws {
        let yaml = try write("""
            agents:
              - count: 2
                cpus: 8
                mem: 16384
                ports: "31000-31199"
                attributes: {rack: r1, zone: a}
              - cpus: 2.5
                attributes:
                  rack: r2
            heartbeat_interval: 5
            offer_timeout: 60
            """, ext: "yaml")
        let json = try write("""
            {"agents": [{"count": 2, "cpus": 8, "mem": 16384, "ports": "31000-31199", "attributes": {"rack": "r1", "zone": "a"}},
                        {"cpus": 2.5, "attributes": {"rack": "r2"}}],
             "heartbeat_interval": 5, "offer_timeout": 60}
            """, ext: "json")
        defer { try? FileManager.default.removeItem(atPath: yaml); try? FileManager.default.removeItem(atPath: json) }
        var fromYAML = DevClusterConfig()
        try fromYAML.apply(file: yaml)
        var fromJSON = DevClusterConfig()
        try fromJSON.apply(file: json)
        #expect(fromYAML.agents == fromJSON.agents)
        #expect(fromYAML.agents.count == 3)
        #expect(fromYAML.agents[0].portsBegin == 31000 && fromYAML.agents[0].portsEnd == 31099)
        #expect(fromYAML.agents[1].portsBegin == 31100 && fromYAML.agents[1].portsEnd == 31199)
        #expect(fromYAML.agents[2].cpus == 2.5)
        #expect(fromYAML.agents[0].attributes == ["rack": "r1", "zone": "a"])
        #expect(fromYAML.heartbeatInterval == 5 && fromYAML.offerTimeout == 60)
    }

    @Test func badFilesNameTheProblem() throws {
        let yaml = try write("agents: [\n  - : :\n", ext: "yml")
        let json = try write("{\"agents\": [{\"ports\": \"oops\"}]}", ext: "json")
        defer { try? FileManager.default.removeItem(atPath: yaml); try? FileManager.default.removeItem(atPath: json) }
        var config = DevClusterConfig()
        #expect(throws: DevClusterConfigError.self) { try config.apply(file: yaml) }
        do {
            try config.apply(file: json)
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("agents.0.ports"))
        }
    }
}
