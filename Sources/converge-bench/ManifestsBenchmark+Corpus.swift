import Foundation

extension ManifestsBenchmark {
    /// A generated manifest repository: `teams/team-NN/<kind>/name.yaml` plus a Defaults file per team
    /// and per kind folder. Deterministic for a given count.
    struct Corpus {
        /// Repository-relative path and contents.
        var files: [(path: String, contents: String)] = []

        var workloadCount: Int { files.filter { !$0.path.hasSuffix("defaults.yaml") }.count }
        var totalBytes: Int { files.reduce(0) { $0 + $1.contents.utf8.count } }

        init(workloads: Int) {
            let teams = max(1, workloads / 100)
            for team in 0..<teams {
                let teamName = "team-\(pad(team, 3))"
                files.append(("teams/\(teamName)/defaults.yaml", Self.teamDefaults(team: teamName)))
                files.append(("teams/\(teamName)/services/defaults.yaml", Self.serviceDefaults()))
            }
            for i in 0..<workloads {
                let team = "team-\(pad(i % teams, 3))"
                let (kind, folder) = Self.kind(for: i)
                let name = "\(folder.prefix(3))-\(pad(i, 5))"
                files.append(("teams/\(team)/\(folder)/\(name).yaml", Self.manifest(index: i, name: name, kind: kind, team: team)))
            }
        }

        /// Kinds mixed as in a real fleet: mostly services, then workers, jobs.
        static func kind(for i: Int) -> (kind: String, folder: String) {
            switch i % 20 {
            case 0..<10: return ("Service", "services")
            case 10..<14: return ("Worker", "workers")
            case 14..<17: return ("Scheduled", "scheduled")
            case 17..<19: return ("OnDemand", "ondemand")
            default: return ("RunOnce", "runonce")
            }
        }

        static func teamDefaults(team: String) -> String {
            """
            # Defaults for every workload of \(team).
            apiVersion: converge/v1
            kind: Defaults
            metadata:
              name: \(team)-defaults
            spec:
              env:
                TEAM: \(team)
                LOG_FORMAT: json
              resources: {cpus: 0.1, memoryMb: 64, diskMb: 0}
              placement:
                spread: greedy

            """
        }

        static func serviceDefaults() -> String {
            """
            apiVersion: converge/v1
            kind: Defaults
            metadata:
              name: services-defaults
            spec:
              deploy:
                stepSize: 2
                healthyDeadlineSeconds: 180
                killGraceSeconds: 20

            """
        }

        static func manifest(index i: Int, name: String, kind: String, team: String, revision: Int = 0) -> String {
            let level = ["info", "debug", "warn"][(i + revision) % 3]
            let header = """
                # \(name): generated for the manifests benchmark.
                apiVersion: converge/v1
                kind: \(kind)
                metadata:
                  name: \(name)
                  owners: [\(team), platform]
                  labels: {tier: \(i % 2 == 0 ? "frontend" : "backend"), cost-center: cc-\(i % 17)}

                """
            switch kind {
            case "Service":
                return header + """
                    spec:
                      instances: \(1 + i % 5)
                      command: python3 -m http.server $PORT0
                      env:
                        LOG_LEVEL: \(level)
                        REGION: us-east-1
                        FEATURE_FLAGS: "search,checkout"
                      resources: {cpus: 0.25, memoryMb: \(128 + (i % 4) * 64), ports: 1}
                      healthCheck:
                        http: {path: /health, port: 0}
                        intervalSeconds: 5
                        timeoutSeconds: 2
                      placement:
                        spread: separateHosts

                    """
            case "Worker":
                return header + """
                    spec:
                      instances: \(1 + i % 3)
                      command: ["python3", "-c", "import time; time.sleep(3600)"]
                      env:
                        LOG_LEVEL: \(level)
                        QUEUE: jobs-\(i % 7)
                      resources: {cpus: 0.5, memoryMb: 256}
                      deploy:
                        stepSize: 1
                        killGraceSeconds: 60
                      placement:
                        requiredAttributes: {zone: us-east-1a}

                    """
            case "Scheduled":
                return header + """
                    spec:
                      schedule: "\(i % 60) */2 * * *"
                      timeZone: Europe/Berlin
                      command: python3 -c 'print("report \(i)")'
                      env:
                        LOG_LEVEL: \(level)
                      resources: {cpus: 0.1, memoryMb: 128}
                      retries: 2
                      timeLimitSeconds: 900

                    """
            case "OnDemand":
                return header + """
                    spec:
                      instances: 2
                      command: sh -c 'echo running $0 "$@"'
                      env:
                        LOG_LEVEL: \(level)
                        TARGET: batch-\(i % 11)
                      resources: {cpus: 0.2, memoryMb: 96}
                      retries: 1
                      timeLimitSeconds: 300

                    """
            default:
                return header + """
                    spec:
                      command: python3 -c 'print("migrate \(i)")'
                      env:
                        LOG_LEVEL: \(level)
                        DATABASE: db-\(i % 5)
                      resources: {cpus: 0.1, memoryMb: 64}
                      retries: 3
                      timeLimitSeconds: 600

                    """
            }
        }

        /// Writes the corpus under `root`.
        func write(to root: URL) throws {
            var made = Set<String>()
            for file in files {
                let url = root.appendingPathComponent(file.path)
                let dir = url.deletingLastPathComponent().path
                if made.insert(dir).inserted {
                    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                }
                try Data(file.contents.utf8).write(to: url)
            }
        }
    }
}

private func pad(_ n: Int, _ width: Int) -> String {
    let s = String(n)
    return String(repeating: "0", count: max(0, width - s.count)) + s
}
