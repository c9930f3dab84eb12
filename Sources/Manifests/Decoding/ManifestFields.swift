/// Every mapping of the manifest format (v1): the decoder accepts exactly these fields, and
/// `converge schema` describes exactly these (a test walks both).
public enum ManifestFields {
    public static let apiVersion = "converge/v1"

    public static let document: FieldTable = [
        Field("apiVersion", .oneOf([apiVersion]), required: true, "The manifest format version."),
        Field("kind", .oneOf(DocumentKind.allCases.map(\.rawValue)), required: true,
              "Service, Worker, Scheduled, OnDemand, RunOnce (workloads), Defaults (a partial spec for a folder) or Maintenance."),
        Field("metadata", .object(metadata), "Identity and ownership."),
        Field("spec", .object(spec), "What to run (a workload), the defaults (Defaults), or the agents to drain (Maintenance)."),
    ]

    public static let metadata: FieldTable = [
        Field("name", .string, "A DNS label (lowercase letters, digits, '-'; at most 63), unique in the repository."),
        Field("owners", .stringList, "Teams or people who own it."),
        Field("labels", .stringMap, "Free-form labels."),
    ]

    public static let maintenance: FieldTable = [
        Field("decommission", .objectList(selector), "Agents to move every task off and keep empty."),
    ]

    public static let selector = FieldTable([
        Field("hostname", .string, "An agent's hostname."),
        Field("attributes", .stringMap, "Agents whose attributes all match."),
    ], exactlyOne: true)

    public static let spec: FieldTable = [
        Field("instances", .integer, "How many instances run (OnDemand: concurrent runs at most)."),
        Field("command", .command, "A string runs under /bin/sh -c; a list is exec'd without a shell."),
        Field("env", .stringMap, "Environment variables of the task."),
        Field("resources", .object(resources), "What each instance reserves."),
        Field("artifacts", .objectList(artifact), "Files fetched into the sandbox before the command starts."),
        Field("container", .object(container), "A Docker container; absent: a plain command task."),
        Field("healthCheck", .object(healthCheck), "How the agent checks an instance (one of http, tcp, command)."),
        Field("deploy", .object(deploy), "How a new template replaces the running instances."),
        Field("placement", .object(placement), "Which agents instances go to."),
        Field("schedule", .string, "Scheduled: a 5-field cron expression."),
        Field("timeZone", .string, "Scheduled: the IANA time zone of the schedule (default UTC)."),
        Field("retries", .integer, "Scheduled, OnDemand, RunOnce: attempts after a failed run."),
        Field("timeLimitSeconds", .integer, "Scheduled, OnDemand, RunOnce: a run is killed after this long."),
        Field("user", .string, "The user the task runs as."),
        Field("executor", .oneOf(ExecutorChoice.allCases.map(\.rawValue)),
              "converge (default: the controller's --executor when one is configured) or command (Mesos' command executor)."),
        Field("logs", .object(logs), "Log rotation of stdout and stderr under the Converge executor."),
    ]

    public static let logs: FieldTable = [
        Field("maxSizeMb", .integer, "Rotate stdout and stderr at this size (default 10)."),
        Field("keep", .integer, "Rotated pieces kept per stream (default 5)."),
        Field("compress", .boolean, "Gzip rotated pieces (default true)."),
    ]

    public static let resources: FieldTable = [
        Field("cpus", .number, "CPU shares per instance."),
        Field("memoryMb", .integer, "Memory per instance, in MiB."),
        Field("diskMb", .integer, "Disk per instance, in MiB."),
        Field("ports", .integer, "How many host ports each instance gets ($PORT0, $PORT1, ...)."),
        Field("memorySoftLimit", .number, "Fraction of memoryMb above which the Converge executor asks the task to stop (default 0.9)."),
    ]

    public static let artifact: FieldTable = [
        Field("uri", .string, required: true, "Where to fetch it from."),
        Field("extract", .boolean, "Unpack an archive."),
        Field("executable", .boolean, "Mark the file executable."),
        Field("cache", .boolean, "Keep it in the agent's fetcher cache."),
        Field("sha256", .string, "The content's SHA-256 (hex); a mismatch fails the task before it starts."),
    ]

    public static let container: FieldTable = [
        Field("docker", .object(docker), "A Docker image to run."),
    ]

    public static let docker: FieldTable = [
        Field("image", .string, "The image, e.g. nginx:1.27."),
        Field("network", .oneOf(DockerContainer.Network.allCases.map(\.rawValue)), "The container's network mode."),
        Field("forcePullImage", .boolean, "Pull the image even when the agent has it."),
        Field("privileged", .boolean, "Run the container privileged."),
        Field("parameters", .stringMap, "Extra `docker run` parameters."),
        Field("portMappings", .objectList(portMapping), "Host port index to container port (BRIDGE networking)."),
        Field("volumes", .objectList(volume), "Host paths mounted into the container."),
    ]

    public static let portMapping: FieldTable = [
        Field("hostPort", .integer, required: true, "An index into the task's allocated host ports."),
        Field("containerPort", .integer, required: true, "The port inside the container."),
        Field("protocol", .oneOf(["tcp", "udp"]), "tcp (default) or udp."),
    ]

    public static let volume: FieldTable = [
        Field("hostPath", .string, required: true, "The path on the agent."),
        Field("containerPath", .string, required: true, "The path inside the container."),
        Field("mode", .oneOf(["RO", "RW"]), "RO (default) or RW."),
    ]

    public static let healthCheck: FieldTable = [
        Field("http", .object(httpCheck), "An HTTP GET that must answer 2xx."),
        Field("tcp", .object(tcpCheck), "A TCP connection that must open."),
        Field("command", .command, "A command that must exit 0."),
        Field("intervalSeconds", .integer, "Time between checks."),
        Field("timeoutSeconds", .integer, "How long one check may take."),
        Field("gracePeriodSeconds", .integer, "Failures after the start that do not count."),
        Field("consecutiveFailures", .integer, "Failures in a row that make an instance unhealthy."),
    ]

    public static let httpCheck: FieldTable = [
        Field("path", .string, "The path to GET; starts with '/'."),
        Field("port", .integer, "An index into the task's allocated ports."),
    ]

    public static let tcpCheck: FieldTable = [
        Field("port", .integer, "An index into the task's allocated ports."),
    ]

    public static let deploy: FieldTable = [
        Field("stepSize", .integer, "New instances started per step."),
        Field("stepWaitSeconds", .integer, "Wait between steps."),
        Field("healthyDeadlineSeconds", .integer, "A deploy not healthy by then fails; the previous deploy keeps running."),
        Field("killGraceSeconds", .integer, "Time between SIGTERM and SIGKILL."),
        Field("canary", .object(canary), "Start a few new instances beside the old ones, hold, then promote or abort."),
    ]

    public static let canary: FieldTable = [
        Field("instances", .integer, "New instances started first, beside all the old ones (default 1)."),
        Field("holdSeconds", .integer, "How long healthy canaries are watched before promotion (default 300)."),
        Field("autoPromote", .boolean, "Go on with the rolling steps after the hold; false waits for `converge promote`."),
    ]

    public static let placement: FieldTable = [
        Field("spread", .oneOf(Placement.Spread.allCases.map(\.rawValue)), "How instances spread over agents."),
        Field("rackSensitive", .boolean, "Spread evenly over the agent attribute `rack`."),
        Field("requiredAttributes", .stringMap, "Agent attributes that must match exactly."),
        Field("allowedAttributes", .stringListMap, "Agent attributes whose value must be one of a list."),
    ]
}
