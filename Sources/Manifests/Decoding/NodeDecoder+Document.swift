/// Decoding the top level of a document: apiVersion, kind, metadata, spec.
extension NodeDecoder {
    mutating func document(root: Int, location: SourceLocation) -> ParsedDocument? {
        if isNull(root) { return nil }  // an empty document, e.g. a trailing `---`
        let errorsBefore = errors.count
        let location = kind(root) == .mappingStart ? self.location(root) : location
        var document = ParsedDocument(
            location: location, apiVersion: nil, kind: nil, metadata: PartialMetadata(),
            metadataLocation: location, body: .unknown)
        guard let entries = mapping(root, "", fields: ["apiVersion", "kind", "metadata", "spec"]) else {
            return nil
        }
        var specIndex: Int? = nil
        for entry in entries {
            switch entry.key {
            case "apiVersion": document.apiVersion = string(entry.value, "apiVersion")
            case "kind": document.kind = oneOf(DocumentKind.self, entry.value, "kind")
            case "metadata":
                document.metadata = metadata(entry.value, "metadata")
                document.metadataLocation = self.location(entry.value)
            case "spec": specIndex = entry.value
            default: break
            }
        }
        if !entries.contains(where: { $0.key == "kind" }) {
            errors.append(ManifestError(at: location, path: "kind", "required field missing"))
        }
        guard let documentKind = document.kind?.value else { return document }
        switch documentKind {
        case .defaults:
            document.body = .defaults(specIndex.map { partialSpec($0, "spec") } ?? PartialSpec())
        case .maintenance:
            document.body = .maintenance(specIndex.map { maintenanceSpec($0, "spec") } ?? [])
        default:
            let workloadKind = documentKind.workloadKind!
            document.body = .workload(workloadKind, specIndex.map { partialSpec($0, "spec") } ?? PartialSpec())
        }
        document.failedPaths = Set(errors[errorsBefore...].map(\.path))
        return document
    }

    mutating func metadata(_ i: Int, _ path: String) -> PartialMetadata {
        var metadata = PartialMetadata()
        for entry in mapping(i, path, fields: ["name", "owners", "labels"]) ?? [] {
            let p = fieldPath(path, entry.key)
            switch entry.key {
            case "name": metadata.name = string(entry.value, p)
            case "owners": metadata.owners = stringList(entry.value, p)
            case "labels": metadata.labels = stringMap(entry.value, p)
            default: break
            }
        }
        return metadata
    }

    /// `spec` of a Maintenance document: `decommission: [{hostname: h} | {attributes: {k: v}}]`.
    mutating func maintenanceSpec(_ i: Int, _ path: String) -> [Located<AgentSelector>] {
        var selectors: [Located<AgentSelector>] = []
        for entry in mapping(i, path, fields: ["decommission"]) ?? [] {
            let p = fieldPath(path, "decommission")
            for (n, item) in (sequence(entry.value, p) ?? []).enumerated() {
                let ip = "\(p)[\(n)]"
                guard let fields = mapping(item, ip, fields: ["hostname", "attributes"]) else {
                    fail(item, ip, "expected {hostname: ...} or {attributes: {...}}, got null")
                    continue
                }
                if fields.count != 1 {
                    fail(item, ip, "give exactly one of hostname or attributes")
                    continue
                }
                let field = fields[0]
                if field.key == "hostname" {
                    guard let hostname = string(field.value, fieldPath(ip, "hostname")) else {
                        fail(field.value, fieldPath(ip, "hostname"), "must not be empty")
                        continue
                    }
                    if hostname.value.isEmpty {
                        fail(field.value, fieldPath(ip, "hostname"), "must not be empty")
                        continue
                    }
                    if hostname.value.contains(where: \.isWhitespace) {
                        fail(field.value, fieldPath(ip, "hostname"), "expected a hostname, got \(describe(field.value))")
                        continue
                    }
                    selectors.append(Located(value: .hostname(hostname.value), location: location(item)))
                } else {
                    let attributes = stringMap(field.value, fieldPath(ip, "attributes")) ?? [:]
                    if attributes.isEmpty {
                        fail(field.value, fieldPath(ip, "attributes"), "must name at least one attribute")
                        continue
                    }
                    selectors.append(Located(
                        value: .attributes(attributes.mapValues(\.value)), location: location(item)))
                }
            }
        }
        return selectors
    }
}
