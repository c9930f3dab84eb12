import Foundation
import Manifests

/// A generated fleet of Service manifests, loaded through the Manifests module (parse + assemble) the
/// way the controller loads a commit, so the scheduler core benchmarks work on real `Workload` values.
///
/// Deterministic for given arguments: the same arguments give the same deploy ids.
struct CoreFleet {
    /// How each service checks its health (and what its command is).
    enum Health: String, CaseIterable {
        /// `python3 -m http.server $PORT0`, HTTP check on `/`.
        case http
        /// `python3 -m http.server $PORT0`, TCP check on the port.
        case tcp
        /// `sleep 600`, no check (healthy after running `settleSeconds`).
        case none
    }

    struct Options {
        var services: Int
        var instances: Int
        var health: Health = .http
        /// Per-service resources.
        var cpus: Double = 0.1
        var memoryMb: Int = 64
        /// Mix placement constraints (separateHosts, rackSensitive, requiredAttributes zone z1) over the fleet.
        var mixedPlacement = true
        /// Health check interval in seconds.
        var checkInterval = 5
        /// Overrides the command (a shell string).
        var command: String?
    }

    var files: [ManifestFile] = []

    init(_ options: Options) {
        let teams = max(1, options.services / 100)
        for team in 0..<teams {
            files.append(ManifestFile(path: "teams/team-\(Self.pad(team, 3))/defaults.yaml",
                                      contents: Array(Self.teamDefaults(team: team).utf8)))
        }
        for index in 0..<options.services {
            let team = index % teams
            let name = Self.serviceName(index)
            files.append(ManifestFile(path: "teams/team-\(Self.pad(team, 3))/services/\(name).yaml",
                                      contents: Array(Self.service(index: index, name: name, team: team, options: options).utf8)))
        }
    }

    /// `svc-00042`: sorts in index order.
    static func serviceName(_ index: Int) -> String { "svc-\(pad(index, 5))" }

    /// Parses and assembles the files; throws with the first errors if the generated repository is invalid.
    func load() throws -> [String: Workload] {
        let set = assemble(parseManifestFiles(files))
        guard set.isValid else {
            let first = set.errors.prefix(5).map { "\($0)" }.joined(separator: "\n  ")
            throw CoreFleetError(message: "generated manifests are invalid (\(set.errors.count) errors):\n  \(first)")
        }
        return set.workloads
    }

    static func teamDefaults(team: Int) -> String {
        """
        apiVersion: converge/v1
        kind: Defaults
        metadata:
          name: team-\(pad(team, 3))-defaults
        spec:
          env:
            TEAM: team-\(pad(team, 3))
            LOG_FORMAT: json
          deploy:
            stepSize: 1
            healthyDeadlineSeconds: 300
            killGraceSeconds: 10

        """
    }

    static func service(index: Int, name: String, team: Int, options: Options) -> String {
        let placement: String
        switch options.mixedPlacement ? index % 10 : 9 {
        case 0, 1, 2: placement = "spread: separateHosts"
        case 3: placement = "rackSensitive: true"
        case 4: placement = "requiredAttributes: {zone: z1}"
        default: placement = "spread: greedy"
        }
        let command: String
        let check: String
        switch options.health {
        case .http:
            command = options.command ?? "python3 -m http.server $PORT0"
            check = """
                  healthCheck:
                    http: {path: /, port: 0}
                    intervalSeconds: \(options.checkInterval)
                    timeoutSeconds: 2
                    gracePeriodSeconds: 30

                """
        case .tcp:
            command = options.command ?? "python3 -m http.server $PORT0"
            check = """
                  healthCheck:
                    tcp: {port: 0}
                    intervalSeconds: \(options.checkInterval)
                    timeoutSeconds: 2
                    gracePeriodSeconds: 30

                """
        case .none:
            command = options.command ?? "sleep 600"
            check = ""
        }
        let ports = options.health == .none ? 0 : 1
        let quotedCommand = "\"" + command.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        return """
            # \(name): generated for the scheduler core benchmarks.
            apiVersion: converge/v1
            kind: Service
            metadata:
              name: \(name)
              owners: [team-\(pad(team, 3)), platform]
              labels: {tier: \(index % 2 == 0 ? "frontend" : "backend"), cost-center: cc-\(index % 17)}
            spec:
              instances: \(options.instances)
              command: \(quotedCommand)
              env:
                LOG_LEVEL: \(["info", "debug", "warn"][index % 3])
                REGION: us-east-1
                SERVICE_NAME: \(name)
              resources: {cpus: \(options.cpus), memoryMb: \(options.memoryMb), ports: \(ports)}

            """ + check + """
              placement:
                \(placement)

            """
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}

struct CoreFleetError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
