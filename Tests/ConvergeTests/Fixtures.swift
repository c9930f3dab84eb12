/// Manifests used by the integration tests, in DESIGN.md's format.
enum Fixtures {
    static func service(
        _ name: String, instances: Int = 2, logLevel: String = "info", password: String = "hunter2-base",
        command: String = "python3 -m http.server $PORT0"
    ) -> String {
        """
        apiVersion: converge/v1
        kind: Service
        metadata:
          name: \(name)
          owners: [team-web]
        spec:
          instances: \(instances)
          command: \(command)
          env:
            LOG_LEVEL: \(logLevel)
            DB_PASSWORD: \(password)
          resources: {cpus: 0.1, memoryMb: 64, ports: 1}
          healthCheck:
            http: {path: /health, port: 0}

        """
    }

    static func worker(_ name: String, instances: Int = 1) -> String {
        """
        apiVersion: converge/v1
        kind: Worker
        metadata:
          name: \(name)
        spec:
          instances: \(instances)
          command: ["python3", "-c", "import time; time.sleep(3600)"]
          resources: {cpus: 0.1, memoryMb: 32}

        """
    }

    static func scheduled(_ name: String, schedule: String = "0 3 * * *") -> String {
        """
        apiVersion: converge/v1
        kind: Scheduled
        metadata:
          name: \(name)
        spec:
          schedule: "\(schedule)"
          timeZone: Europe/Berlin
          command: echo report
          resources: {cpus: 0.1, memoryMb: 32}

        """
    }

    static let defaults = """
        apiVersion: converge/v1
        kind: Defaults
        metadata:
          name: team-defaults
        spec:
          env:
            REGION: eu-west-1

        """

    static func maintenance(_ hosts: [String]) -> String {
        """
        apiVersion: converge/v1
        kind: Maintenance
        metadata:
          name: rack-work
        spec:
          decommission:
        \(hosts.map { "    - hostname: \($0)" }.joined(separator: "\n"))

        """
    }

    /// Two errors in one file: a value of the wrong type and an unknown field.
    static let badService = """
        apiVersion: converge/v1
        kind: Service
        metadata:
          name: broken
        spec:
          instance: 3
          command: echo hi
          resources: {cpus: lots, memoryMb: 64}

        """

    /// A name that is not a DNS label.
    static let badWorker = """
        apiVersion: converge/v1
        kind: Worker
        metadata:
          name: Not_A_Label
        spec:
          command: echo hi

        """
}
