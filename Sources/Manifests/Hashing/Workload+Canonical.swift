/// The canonical flattening of a resolved workload, the single source for its hashes and for
/// field-level diffs. Values are canonical text: integers in decimal, numbers in Swift's shortest
/// round-trip form (`0.10` and `0.1` are both `0.1`), booleans `true`/`false`, maps sorted by key,
/// lists in their written order with `[i]` indexes. Only fields that apply to the kind appear.
extension Workload {
    /// Fields of the task template (kind, command, env, resources, artifacts, container, healthCheck,
    /// user): a change is a new deploy.
    public var templateFields: [CanonicalField] {
        var out = FieldWriter(collecting: true)
        writeTemplate(to: &out)
        return out.fields
    }

    /// Fields of the request (owners, labels, deploy settings, placement, schedule, timeZone,
    /// retries, timeLimitSeconds): a change is an update in place. `instances` is in neither list.
    public var requestFields: [CanonicalField] {
        var out = FieldWriter(collecting: true)
        writeRequest(to: &out)
        return out.fields
    }

    /// `templateFields` followed by `requestFields`, in one list.
    public var canonicalFields: [CanonicalField] {
        var out = FieldWriter(collecting: true)
        out.fields.reserveCapacity(40)
        writeTemplate(to: &out)
        writeRequest(to: &out)
        return out.fields
    }

    /// `canonicalFields` as bytes: each field's path and value, each preceded by its UTF-8 length
    /// (4 bytes, big-endian), template fields then request fields. The template hash is the SHA-256
    /// of the template part, the request hash that of the rest. Built without a string per field.
    public var canonicalBytes: [UInt8] {
        var out = FieldWriter(collecting: false)
        writeTemplate(to: &out)
        writeRequest(to: &out)
        return out.bytes
    }

    func writeTemplate(to out: inout FieldWriter) {
        Self.writeTemplate(kind: kind, metadata: metadata, spec: spec, to: &out)
    }

    func writeRequest(to out: inout FieldWriter) {
        Self.writeRequest(kind: kind, metadata: metadata, spec: spec, to: &out)
    }

    static func writeTemplate(kind: WorkloadKind, metadata: Metadata, spec: WorkloadSpec, to out: inout FieldWriter) {
        out.add("kind", kind.rawValue)
        switch spec.command {
        case .shell(let text)?: out.add("spec.command", text)
        case .argv(let argv)?: out.list("spec.command", argv)
        case nil: break
        }
        out.map("spec.env", spec.env)
        out.add("spec.resources.cpus", spec.resources.cpus)
        out.add("spec.resources.memoryMb", spec.resources.memoryMb)
        out.add("spec.resources.diskMb", spec.resources.diskMb)
        out.add("spec.resources.ports", spec.resources.ports)
        for (i, artifact) in spec.artifacts.enumerated() {
            let p = "spec.artifacts[\(i)]"
            out.add(p + ".uri", artifact.uri)
            out.add(p + ".extract", artifact.extract)
            out.add(p + ".executable", artifact.executable)
            out.add(p + ".cache", artifact.cache)
            if let sha256 = artifact.sha256 { out.add(p + ".sha256", sha256) }
        }
        if let docker = spec.container?.docker {
            let p = "spec.container.docker"
            out.add(p + ".image", docker.image)
            out.add(p + ".network", docker.network.rawValue)
            out.add(p + ".forcePullImage", docker.forcePullImage)
            out.add(p + ".privileged", docker.privileged)
            out.map(p + ".parameters", docker.parameters)
            for (i, mapping) in docker.portMappings.enumerated() {
                out.add("\(p).portMappings[\(i)].hostPort", mapping.hostPort)
                out.add("\(p).portMappings[\(i)].containerPort", mapping.containerPort)
                out.add("\(p).portMappings[\(i)].protocol", mapping.protocol)
            }
            for (i, volume) in docker.volumes.enumerated() {
                out.add("\(p).volumes[\(i)].hostPath", volume.hostPath)
                out.add("\(p).volumes[\(i)].containerPath", volume.containerPath)
                out.add("\(p).volumes[\(i)].mode", volume.mode)
            }
        }
        if let check = spec.healthCheck {
            switch check.probe {
            case .http(let path, let port):
                out.add("spec.healthCheck.http.path", path)
                out.add("spec.healthCheck.http.port", port)
            case .tcp(let port):
                out.add("spec.healthCheck.tcp.port", port)
            case .command(.shell(let text)):
                out.add("spec.healthCheck.command", text)
            case .command(.argv(let argv)):
                out.list("spec.healthCheck.command", argv)
            }
            out.add("spec.healthCheck.intervalSeconds", check.intervalSeconds)
            out.add("spec.healthCheck.timeoutSeconds", check.timeoutSeconds)
            out.add("spec.healthCheck.gracePeriodSeconds", check.gracePeriodSeconds)
            out.add("spec.healthCheck.consecutiveFailures", check.consecutiveFailures)
        }
        if let user = spec.user { out.add("spec.user", user) }
        // Executor settings appear only when they differ from the defaults, so workloads written
        // before they existed keep their hashes.
        if spec.resources.memorySoftLimit != Resources.defaultMemorySoftLimit {
            out.add("spec.resources.memorySoftLimit", spec.resources.memorySoftLimit)
        }
        if spec.executor != .converge { out.add("spec.executor", spec.executor.rawValue) }
        if spec.logs != LogSettings() {
            out.add("spec.logs.maxSizeMb", spec.logs.maxSizeMb)
            out.add("spec.logs.keep", spec.logs.keep)
            out.add("spec.logs.compress", spec.logs.compress)
        }
    }

    static func writeRequest(kind: WorkloadKind, metadata: Metadata, spec: WorkloadSpec, to out: inout FieldWriter) {
        out.list("metadata.owners", metadata.owners)
        out.map("metadata.labels", metadata.labels)
        out.add("spec.deploy.stepSize", spec.deploy.stepSize)
        out.add("spec.deploy.stepWaitSeconds", spec.deploy.stepWaitSeconds)
        out.add("spec.deploy.healthyDeadlineSeconds", spec.deploy.healthyDeadlineSeconds)
        out.add("spec.deploy.killGraceSeconds", spec.deploy.killGraceSeconds)
        if let canary = spec.deploy.canary {
            out.add("spec.deploy.canary.instances", canary.instances)
            out.add("spec.deploy.canary.holdSeconds", canary.holdSeconds)
            out.add("spec.deploy.canary.autoPromote", canary.autoPromote)
        }
        out.add("spec.placement.spread", spec.placement.spread.rawValue)
        out.add("spec.placement.rackSensitive", spec.placement.rackSensitive)
        out.map("spec.placement.requiredAttributes", spec.placement.requiredAttributes)
        for key in spec.placement.allowedAttributes.keys.sorted() {
            out.list("spec.placement.allowedAttributes.\(key)", spec.placement.allowedAttributes[key]!)
        }
        if kind == .scheduled {
            if let schedule = spec.schedule { out.add("spec.schedule", schedule.expression) }
            out.add("spec.timeZone", spec.timeZone)
        }
        if kind.isJob {
            out.add("spec.retries", spec.retries)
            if let limit = spec.timeLimitSeconds { out.add("spec.timeLimitSeconds", limit) }
        }
    }
}

/// Writes canonical fields either into a list (for diffs) or straight into the byte stream the
/// hash is computed over (length-prefixed path and value, exactly as `CanonicalHash` encodes a list),
/// without building path strings.
struct FieldWriter {
    let collecting: Bool
    var fields: [CanonicalField] = []
    /// The hash input is `buffer[..<count]`; the rest is room to grow. Written through a pointer:
    /// a workload is about 150 small pieces, and an array append per piece costs more than the copy.
    private var buffer: [UInt8] = []
    private(set) var count = 0

    init(collecting: Bool) {
        self.collecting = collecting
        // Room that `write` fills before `count` covers it: never read uninitialised.
        if !collecting { buffer = [UInt8](unsafeUninitializedCapacity: 2048) { _, initialized in initialized = 2048 } }
    }

    /// The hash input.
    var bytes: [UInt8] { Array(buffer[..<count]) }

    /// The hash of part of the input (`range` within `0..<count`).
    func sha256Hex(of range: Range<Int>) -> String { CanonicalHash.sha256Hex(slice: buffer[range]) }

    mutating func add(_ path: String, _ value: String) {
        if collecting {
            fields.append(CanonicalField(path: path, value: value))
        } else {
            writeLength(path.utf8.count)
            writeUTF8(path)
            writeLength(value.utf8.count)
            writeUTF8(value)
        }
    }

    mutating func add(_ path: String, _ value: Int) { add(path, String(value)) }
    mutating func add(_ path: String, _ value: Bool) { add(path, value ? "true" : "false") }
    mutating func add(_ path: String, _ value: Double) { add(path, value.description) }

    /// `path[0]`, `path[1]`, ...
    mutating func list(_ path: String, _ values: [String]) {
        for (i, value) in values.enumerated() { keyed(path, "[", String(i), "]", value) }
    }

    /// `path.key` for each key in sorted order (String order, as `keys.sorted()`; keys are unique).
    mutating func map(_ path: String, _ values: [String: String]) {
        if values.isEmpty { return }
        for entry in values.sorted(by: { $0.key < $1.key }) { keyed(path, ".", entry.key, "", entry.value) }
    }

    private mutating func keyed(_ path: String, _ open: String, _ key: String, _ close: String, _ value: String) {
        let length = path.utf8.count + open.utf8.count + key.utf8.count + close.utf8.count
        if collecting {
            // One allocation for the path.
            var full = String()
            full.reserveCapacity(length)
            full += path
            full += open
            full += key
            full += close
            fields.append(CanonicalField(path: full, value: value))
            return
        }
        writeLength(length)
        writeUTF8(path)
        writeUTF8(open)
        writeUTF8(key)
        writeUTF8(close)
        writeLength(value.utf8.count)
        writeUTF8(value)
    }

    /// A 4-byte big-endian length, as `CanonicalHash.appendLength` writes it.
    @inline(__always)
    private mutating func writeLength(_ n: Int) {
        withUnsafeBytes(of: UInt32(truncatingIfNeeded: n).bigEndian) { write($0) }
    }

    @inline(__always)
    private mutating func writeUTF8(_ s: String) {
        var s = s
        s.withUTF8 { write(UnsafeRawBufferPointer($0)) }
    }

    @inline(__always)
    private mutating func write(_ source: UnsafeRawBufferPointer) {
        let n = source.count
        guard n > 0, let from = source.baseAddress else { return }
        if count + n > buffer.count {
            buffer.append(contentsOf: repeatElement(0, count: Swift.max(n, buffer.count)))
        }
        let at = count
        buffer.withUnsafeMutableBytes { $0.baseAddress!.advanced(by: at).copyMemory(from: from, byteCount: n) }
        count += n
    }
}
