import Foundation

/// The config file (JSON, or the same keys in YAML; see docs/devcluster.md).
///
/// ```json
/// {"agents": [{"count": 2, "cpus": 4, "mem": 8192, "disk": 20000, "ports": "31000-31099",
///              "attributes": {"rack": "r1", "zone": "a"}}],
///  "heartbeat_interval": 15, "offer_timeout": 60, "virtual": false}
/// ```
struct DevClusterConfigFile: Decodable {
    struct AgentGroup: Decodable {
        var count: Int?
        var cpus: Double?
        var mem: Double?
        var disk: Double?
        var ports: String?
        var attributes: [String: String]?
    }
    var agents: [AgentGroup]?
    var heartbeatInterval: Double?
    var offerTimeout: Double?
    var allocationInterval: Double?
    var virtual: Bool?
    var virtualStartDelay: Double?
    var workDir: String?

    enum CodingKeys: String, CodingKey {
        case agents, heartbeatInterval = "heartbeat_interval", offerTimeout = "offer_timeout"
        case allocationInterval = "allocation_interval", virtual, virtualStartDelay = "virtual_start_delay"
        case workDir = "work_dir"
    }
}

public struct DevClusterConfigError: Error, CustomStringConvertible {
    public var description: String
}

extension DevClusterConfig {
    /// Applies a config file (JSON, or YAML with the same keys) on top of this config.
    public mutating func apply(file path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DevClusterConfigError(description: "\(path): cannot read the file")
        }
        let json = path.hasSuffix(".yaml") || path.hasSuffix(".yml") ? try YAMLConfig.toJSON(data, file: path) : data
        let file: DevClusterConfigFile
        do {
            file = try JSONDecoder().decode(DevClusterConfigFile.self, from: json)
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.dataCorrupted(context),
                let DecodingError.valueNotFound(_, context) {
            let field = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
            throw DevClusterConfigError(description: "\(path): field '\(field)': \(context.debugDescription)")
        }
        try apply(file, path: path)
    }

    mutating func apply(_ file: DevClusterConfigFile, path: String) throws {
        if let value = file.heartbeatInterval { heartbeatInterval = value }
        if let value = file.offerTimeout { offerTimeout = value }
        if let value = file.allocationInterval { allocationInterval = value }
        if let value = file.virtual { virtual = value; agentListeners = !value }
        if let value = file.virtualStartDelay { virtualStartDelay = value }
        if let value = file.workDir { workDirectory = value }
        guard let groups = file.agents else { return }
        var specs: [AgentSpec] = []
        var nextPort: UInt64 = 31000
        for (index, group) in groups.enumerated() {
            let count = group.count ?? 1
            guard count >= 0 else { throw DevClusterConfigError(description: "\(path): agents.\(index).count must be >= 0") }
            var range: ClosedRange<UInt64>? = nil
            if let ports = group.ports {
                let parts = ports.split(separator: "-").compactMap { UInt64($0.trimmingCharacters(in: .whitespaces)) }
                guard parts.count == 2, parts[0] <= parts[1], parts[1] <= 65535 else {
                    throw DevClusterConfigError(description: "\(path): agents.\(index).ports must look like 31000-31099")
                }
                range = parts[0]...parts[1]
            }
            for k in 0..<count {
                var spec = AgentSpec(cpus: group.cpus ?? 4, mem: group.mem ?? 4096, disk: group.disk ?? 10240,
                                     attributes: group.attributes ?? [:])
                if let range {
                    // Each agent of the group gets its own slice of the group's range.
                    let width = max(1, (range.upperBound - range.lowerBound + 1) / UInt64(count))
                    spec.portsBegin = range.lowerBound + UInt64(k) * width
                    spec.portsEnd = min(range.upperBound, spec.portsBegin + width - 1)
                } else {
                    spec.portsBegin = nextPort
                    spec.portsEnd = nextPort + 99
                    nextPort += 100
                }
                specs.append(spec)
            }
        }
        agents = specs
    }
}

